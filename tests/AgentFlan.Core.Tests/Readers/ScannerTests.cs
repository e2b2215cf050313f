using System.IO.Compression;
using System.Text;
using AgentFlan.Diagnostics;
using AgentFlan.Readers;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>Framing, locations and damage handling shared by every format (through the ShareGPT reader).</summary>
[TestClass]
public sealed class ScannerTests
{
    private const string Good = """{"id": "g", "conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]}""";

    [TestMethod]
    public void JsonLines_LinesAreOneBased_BlankLinesCounted_CrLfAndBomTolerated()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("chat.jsonl");
        File.WriteAllText(file, $"\uFEFF{Good}\r\n\r\n{Good}\r\n   \n{Good}", new UTF8Encoding(false));

        var results = Read("sharegpt", file);

        CollectionAssert.AreEqual(new[] { 1, 3, 5 }, results.Select(r => Where(r).Line).ToArray());
        Assert.IsTrue(results.All(r => r is AcceptedRecord && Where(r).Index == -1));
    }

    [TestMethod]
    public void JsonArray_IndexesAreZeroBased_AndLinesPointAtEachElement()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("chat.json", $"[\n  {Good},\n  {Good}\n,{Good}]\n");

        var results = Read("sharegpt", file);

        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, results.Select(r => Where(r).Index).ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3, 4 }, results.Select(r => Where(r).Line).ToArray());
    }

    [TestMethod]
    public void TruncatedArray_RejectsTheRestWithItsLocation_AndKeepsWhatCameBefore()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("cut.json", $"[{Good},\n{Good},\n{Good[..40]}");

        var results = Read("sharegpt", file);

        Assert.HasCount(3, results);
        var rest = (RejectedRecord)results[2];
        Assert.AreEqual(ReaderCodes.StreamBroken, rest.Code);
        Assert.AreEqual(2, rest.Where.Index);
        Assert.AreEqual(3, rest.Where.Line);
        Assert.StartsWith(Good[..40], rest.Raw);
    }

    [TestMethod]
    public void BrokenArray_MissingComma_RejectsTheRest()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("broken.json", $"[{Good} {Good}]");

        var results = Read("sharegpt", file);

        Assert.IsInstanceOfType<AcceptedRecord>(results[0]);
        Assert.AreEqual(ReaderCodes.StreamBroken, ((RejectedRecord)results[1]).Code);
    }

    [TestMethod]
    public void JsonLines_MalformedLine_IsRejectedAndReadingGoesOn()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("bad.jsonl", $"{Good}\n{{\"id\": \"x\", \"conv\n{Good}\n{{\"id\": 1,\n{Good}\n");

        var results = Read("sharegpt", file);

        CollectionAssert.AreEqual(
            new[] { "accepted 1", "AFB1003 2", "accepted 3", "AFB1003 4", "accepted 5" },
            results.Select(r => r is RejectedRecord x ? $"{x.Code} {x.Where.Line}" : $"accepted {Where(r).Line}").ToArray());
    }

    [TestMethod]
    public void JsonLines_PrettyPrintedObjects_AreReadAsOneRecordEach()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("pretty.json", "{\n  \"conversations\": [\n    {\"from\": \"human\", \"value\": \"a\"}\n  ]\n}\n{\"conversations\": [{\"from\": \"gpt\", \"value\": \"b\"}]}\n");

        var results = Read("sharegpt", file);

        CollectionAssert.AreEqual(new[] { 1, 6 }, results.Select(r => Where(r).Line).ToArray());
        Assert.IsTrue(results.All(r => r is AcceptedRecord));
    }

    [TestMethod]
    public void ContentAfterTheArray_IsReported()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("tail.json", $"[{Good}]\ngarbage");

        var results = Read("sharegpt", file);

        Assert.HasCount(2, results);
        Assert.AreEqual(ReaderCodes.StreamBroken, ((RejectedRecord)results[1]).Code);
    }

    [TestMethod]
    public void RecordLargerThanTheLimit_IsRejected_AndTheNextLineIsRead()
    {
        var big = $"{{\"conversations\": [{{\"from\": \"human\", \"value\": \"{new string('x', 300_000)}\"}}]}}";
        var bytes = Encoding.UTF8.GetBytes($"{Good}\n{big}\n{Good}\n");

        var results = AgentFlan.Readers.Json.JsonRecordScanner.Scan(new MemoryStream(bytes), CancellationToken.None, maxRecordBytes: 1 << 17)
            .Select(r => r.FailureCode ?? $"ok {r.Line}")
            .ToList();

        CollectionAssert.AreEqual(new[] { "ok 1", ReaderCodes.RecordTooLarge, "ok 3" }, results);
    }

    [TestMethod]
    public void Gzip_IsDetectedByItsMagicBytes_WhateverTheName()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("chat.data");
        using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes($"{Good}\n{Good}\n"));
        }

        var results = Read("sharegpt", file);

        Assert.HasCount(2, results);
        Assert.IsTrue(results.All(r => r is AcceptedRecord));
    }

    [TestMethod]
    public void DamagedGzip_BecomesALocatedRejection_NotAnException()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("chat.jsonl.gz");
        using (var memory = new MemoryStream())
        {
            using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var i = 0; i < 2000; i++)
                {
                    gzip.Write(Encoding.UTF8.GetBytes($"{Good}\n"));
                }
            }

            var bytes = memory.ToArray();
            for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
            {
                bytes[i] ^= 0x5A;
            }

            File.WriteAllBytes(file, bytes);
        }

        var results = Read("sharegpt", file);

        Assert.IsTrue(results.Any(r => r is RejectedRecord { Code: ReaderCodes.StreamBroken or ReaderCodes.MalformedJson }));
    }

    [TestMethod]
    public void Folder_IsReadInOrdinalOrder_IncludingSubfolders()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("b/2.jsonl", Good);
        temp.WriteFile("a.json", $"[{Good}]");
        temp.WriteFile("b/1.jsonl", Good);
        temp.WriteFile("notes.txt", "ignored");

        var files = Read("sharegpt", temp.Path).Select(r => Path.GetRelativePath(temp.Path, Where(r).File!).Replace('\\', '/')).ToArray();

        CollectionAssert.AreEqual(new[] { "a.json", "b/1.jsonl", "b/2.jsonl" }, files);
    }

    [TestMethod]
    public void MissingSource_ThrowsSourceUnreadable()
    {
        var error = Assert.ThrowsExactly<DiagnosticException>(() => SourceReaders.Find("sharegpt")!.Read("/no/such/file.json", "s", CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.SourceUnreadable, error.Diagnostics[0].Code);
    }

    [TestMethod]
    public void Cancellation_StopsTheRead()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("chat.jsonl", string.Join('\n', Enumerable.Repeat(Good, 10)));
        using var cancellation = new CancellationTokenSource();

        var read = 0;
        Assert.ThrowsExactly<OperationCanceledException>(() =>
        {
            foreach (var unused in SourceReaders.Find("sharegpt")!.Read(file, "s", cancellation.Token))
            {
                if (++read == 3)
                {
                    cancellation.Cancel();
                }
            }
        });
        Assert.AreEqual(3, read);
    }

    private static List<ReadResult> Read(string format, string path) =>
        [.. SourceReaders.Find(format)!.Read(path, "test", CancellationToken.None)];

    private static AgentFlan.Conversations.Provenance Where(ReadResult result) => result switch
    {
        AcceptedRecord accepted => accepted.Conversation.Provenance,
        RejectedRecord rejected => rejected.Where,
        _ => throw new InvalidOperationException(),
    };
}
