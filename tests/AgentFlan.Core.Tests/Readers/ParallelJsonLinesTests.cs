using System.IO.Compression;
using System.Text;
using AgentFlan.Readers;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>
/// The parallel JSON Lines reader gives exactly what the sequential scanner gives — every record, rejection, line
/// number and raw text, in order — for well-formed files and for every case that makes it hand over to the scanner
/// (values spread over lines, two values on a line, garbage, arrays), whatever the block size and thread count.
/// </summary>
[TestClass]
public sealed class ParallelJsonLinesTests
{
    private const string Record = """{"id": "r{0}", "messages": [{"role": "user", "content": "Question {0}?"}, {"role": "assistant", "content": "Answer {0}."}]}""";

    public static IEnumerable<object[]> Files =>
    [
        ["plain", Lines(1, 30)],
        ["crlf and no final newline", Lines(1, 12).Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd()],
        ["blank and indented lines", Lines(1, 5) + "\n\n   \n\t" + Lines(6, 10) + "\n  \n"],
        ["byte order mark", "\uFEFF" + Lines(1, 8)],
        ["a value over several lines", Lines(1, 6) + "{\"id\": \"multi\",\n \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},\n {\"role\": \"assistant\", \"content\": \"Hello\"}]}\n" + Lines(7, 14)],
        ["two values on a line", Lines(1, 4) + Single(5).TrimEnd() + " " + Lines(6, 6) + Lines(7, 12)],
        ["garbage", Lines(1, 9) + "{ not json at all\n" + Lines(10, 20)],
        ["rejected by the mapper", Lines(1, 3) + "[1, 2]\n{\"messages\": 5}\n" + Lines(4, 9)],
        ["an array", "[\n" + string.Join(",\n", Enumerable.Range(1, 7).Select(i => Single(i).TrimEnd())) + "\n]\n"],
        ["empty", string.Empty],
        ["whitespace only", "\n \n\t\n"],
    ];

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Gives_what_the_sequential_scanner_gives(string name, string text)
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", text);
        var reader = (JsonSourceReader)SourceReaders.Find("openai")!;
        var expected = CanonicalJson.Serialize(reader.Read(file, "s", CancellationToken.None), temp.Path);

        foreach (var threads in new[] { 2, 3 })
        {
            foreach (var block in new[] { 16, 41, 97, 256, 1 << 20 })
            {
                var actual = CanonicalJson.Serialize(reader.Read(file, "s", threads, block, CancellationToken.None), temp.Path);
                Assert.AreEqual(expected, actual, $"{name}: {threads} threads, blocks of {block} bytes");
            }
        }
    }

    [TestMethod]
    public void A_generated_corpus_and_its_gzip_read_the_same_on_several_threads()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("corpus.jsonl");
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 400, Seed = 5 }), file);
        var zipped = temp.Combine("corpus.jsonl.gz");
        using (var output = File.Create(zipped))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(File.ReadAllBytes(file));
        }

        var reader = (JsonSourceReader)SourceReaders.Find("openai")!;
        var expected = CanonicalJson.Serialize(reader.Read(file, "s", CancellationToken.None), temp.Path);

        Assert.AreEqual(expected, CanonicalJson.Serialize(reader.Read(file, "s", 2, 4096, CancellationToken.None), temp.Path));
        Assert.AreEqual(expected.Replace("corpus.jsonl", "corpus.jsonl.gz", StringComparison.Ordinal), CanonicalJson.Serialize(reader.Read(zipped, "s", 2, 4096, CancellationToken.None), temp.Path));
    }

    [TestMethod]
    public void Stopping_early_and_cancelling_end_the_read_without_waiting_on_the_workers()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", Lines(1, 2000));
        var reader = (JsonSourceReader)SourceReaders.Find("openai")!;
        using var cancel = new CancellationTokenSource();

        // Disposing the enumeration (a source's count limit) joins the workers: it must return with blocks in flight.
        var early = Task.Run(() => reader.Read(file, "s", 2, 64, CancellationToken.None).Take(3).ToList());
        var cancelled = Task.Run(() => reader.Read(file, "s", 2, 64, cancel.Token).Select((result, i) =>
        {
            if (i == 10)
            {
                cancel.Cancel();
            }

            return result;
        }).ToList());

        Assert.IsTrue(early.Wait(TimeSpan.FromSeconds(30)), "the read ended");
        Assert.HasCount(3, early.Result);
        var error = Assert.ThrowsExactly<AggregateException>(() => cancelled.Wait(TimeSpan.FromSeconds(30)));
        Assert.IsInstanceOfType<OperationCanceledException>(error.InnerException);
    }

    [TestMethod]
    [DataRow("lines")]
    [DataRow("array")]
    public void Per_record_work_runs_off_the_consuming_thread_and_keeps_the_order(string shape)
    {
        using var temp = new TempDirectory();
        var text = shape == "lines" ? Lines(1, 300) : "[\n" + string.Join(",\n", Enumerable.Range(1, 300).Select(i => Single(i).TrimEnd())) + "\n]\n";
        var file = temp.WriteFile("data.jsonl", text);
        var reader = (JsonSourceReader)SourceReaders.Find("openai")!;
        var expected = CanonicalJson.Serialize(reader.Read(file, "s", CancellationToken.None), temp.Path);

        var consumer = Environment.CurrentManagedThreadId;
        var made = reader.Read(file, "s", threads: 2, result => Tuple.Create(result, Environment.CurrentManagedThreadId), CancellationToken.None).ToList();

        Assert.AreEqual(expected, CanonicalJson.Serialize(made.Select(m => m.Item1), temp.Path));
        Assert.AreEqual(300, made.Count);
        Assert.IsTrue(made.All(m => m.Item2 != consumer), "every record's work ran on the reader's threads");
        Assert.IsTrue(reader.Read(file, "s", threads: 1, result => Tuple.Create(result, Environment.CurrentManagedThreadId), CancellationToken.None).All(m => m.Item2 == consumer), "one thread reads in turn");
    }

    private static string Single(int i) => Record.Replace("{0}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\n";

    private static string Lines(int from, int to)
    {
        var text = new StringBuilder();
        for (int i = from; i <= to; i++)
        {
            text.Append(Single(i));
        }

        return text.ToString();
    }
}
