using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Packing;
using AgentFlan.Shards;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Packing;

/// <summary>The compile's packer (views straight into shard buffers) against the row-array packer and writer it replaces.</summary>
[TestClass]
public sealed class ShardPackerTests
{
    [TestMethod]
    public void Writes_the_same_shard_bytes_as_packing_rows_and_writing_them()
    {
        var random = new Random(23);
        var cases = new[] { (16, 2, true, 3, 4), (16, 4, true, 5, 2), (64, 2, false, 4, 3), (7, 2, true, 1, 1), (128, 4, false, 2, 8), (32, 2, true, 50, 50) };
        foreach (var (capacity, width, packing, rowsPerShard, windowRows, background) in cases.SelectMany(c => new[] { (c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, false), (c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, true) }))
        {
            using var temp = new TempDirectory();
            var context = $"capacity {capacity}, width {width}, packing {packing}, {rowsPerShard} rows per shard, windows of {windowRows}, background {background}";
            var samples = Enumerable.Range(0, random.Next(1, 400)).Select(i => RandomSample(random, i, capacity, width)).ToList();

            // The reference: StreamingPacker's rows, cut into shards and written with ShardWriter.
            var rows = new List<PackedRow>();
            var streaming = new StreamingPacker(capacity, packing, padToken: 7, windowRows);
            foreach (var sample in samples)
            {
                rows.AddRange(streaming.Add(sample.ToSample()));
            }

            rows.AddRange(streaming.Flush());
            var expected = rows.Chunk(rowsPerShard).Select((chunk, i) =>
            {
                var path = temp.Combine("expected", $"shard-{i:D5}.afbshard");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                ShardWriter.Write(path, capacity, width, chunk);
                return path;
            }).ToList();

            IReadOnlyList<AgentFlan.Compilation.ShardInfo> shards;
            using (var writer = new ShardSetWriter(temp.Combine("actual"), capacity, width, rowsPerShard))
            {
                using var packer = new ShardPacker(capacity, packing, padToken: 7, windowRows, writer, background);
                samples.ForEach(packer.Add);
                packer.Flush();
                shards = writer.Complete();
                Assert.AreEqual(rows.Count, writer.RowCount, context);
            }

            Assert.AreEqual(expected.Count, shards.Count, context);
            for (int i = 0; i < shards.Count; i++)
            {
                var actual = temp.Combine("actual", shards[i].File);
                CollectionAssert.AreEqual(File.ReadAllBytes(expected[i]), File.ReadAllBytes(actual), $"{context}: {shards[i].File}");
                Assert.AreEqual(ContentHash.OfFile(actual), shards[i].Sha256, $"{context}: the hash taken while writing is the file's");
                var chunk = rows.Skip(i * rowsPerShard).Take(rowsPerShard).ToList();
                Assert.AreEqual(chunk.Count, shards[i].Rows, context);
                Assert.AreEqual(chunk.Sum(r => (long)r.Documents.Count), shards[i].Documents, context);
                Assert.AreEqual(chunk.Sum(r => r.Documents.Sum(d => (long)d.Length)), shards[i].Tokens, context);
                Assert.AreEqual(chunk.Sum(r => (long)r.Loss.Count(b => b != 0)), shards[i].SupervisedTokens, context);
            }

            Assert.IsFalse(Directory.EnumerateFiles(temp.Path, ".*", SearchOption.AllDirectories).Any(), $"{context}: no temp file left");
        }
    }

    [TestMethod]
    public void A_window_packed_in_the_background_that_fails_throws_its_own_exception_at_the_next_window_or_the_flush()
    {
        using var temp = new TempDirectory();
        File.WriteAllBytes(temp.Combine("stored.afbshard"), [1, 2, 3]);
        using var writer = new ShardSetWriter(temp.Combine("out"), 4, 2, 1);

        // One stored token file for a segment that packs many shards: the second shard's hand-over fails on the packing thread.
        writer.ReuseTokens([new AgentFlan.Compilation.ShardInfo("shard-00000.afbshard", 1, 1, 3, 3, "00", "shard-00000.afbmask", "00")], Task.FromResult<IReadOnlyList<string>>([temp.Combine("stored.afbshard")]));
        using var packer = new ShardPacker(4, packing: false, padToken: 0, windowRows: 1, writer, background: true);
        Assert.ThrowsExactly<TokenFilesMismatchException>(() =>
        {
            for (int i = 0; i < 8; i++)
            {
                packer.Add(new SampleView($"s{i}", ConversationKind.General, [i, i, i], 0, 3, [new(0, 3, Capability.None, true)]));
            }

            packer.Flush();
        });
    }

    [TestMethod]
    public void Reserving_rows_first_writes_the_same_buffer_as_growing_row_by_row()
    {
        var random = new Random(5);
        foreach (var reserve in new[] { 0, 1, 7, 40, 1000 })
        {
            var grown = new ShardBuffer(8, 2, capacity: 40);
            var reserved = new ShardBuffer(8, 2, capacity: 40);
            reserved.Reserve(reserve);
            for (int r = 0; r < 40; r++)
            {
                var tokens = Enumerable.Range(0, 8).Select(_ => random.Next(0, 65536)).ToArray();
                var loss = Enumerable.Range(0, 8).Select(_ => (byte)random.Next(0, 2)).ToArray();
                var row = new PackedRow(tokens, loss, [(0, 5, 0), (5, 3, 1)]);
                grown.Add(row);
                reserved.Add(row);
                if (r == 20)
                {
                    reserved.Reserve(reserve);
                }
            }

            CollectionAssert.AreEqual(grown.TokenBytes.ToArray(), reserved.TokenBytes.ToArray(), $"reserve {reserve}: tokens");
            CollectionAssert.AreEqual(grown.Mask.ToArray(), reserved.Mask.ToArray(), $"reserve {reserve}: mask");
            CollectionAssert.AreEqual(grown.DocumentEntries.ToArray(), reserved.DocumentEntries.ToArray(), $"reserve {reserve}: documents");
        }
    }

    [TestMethod]
    public void An_id_too_large_for_the_shards_fails_and_leaves_no_file_behind()
    {
        using var temp = new TempDirectory();
        using (var writer = new ShardSetWriter(temp.Path, 8, 2, 2))
        {
            var packer = new ShardPacker(8, packing: true, padToken: 0, windowRows: 1, writer);
            packer.Add(new SampleView("a", ConversationKind.General, [1, 2, 3], 0, 3, [new(0, 3, Capability.None, true)]));
            Assert.ThrowsExactly<OverflowException>(() => packer.Add(new SampleView("b", ConversationKind.General, [1, 70000], 0, 2, [new(0, 2, Capability.None, true)])));
        }

        Assert.IsFalse(Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories).Any());
    }

    [TestMethod]
    public void A_shard_that_cannot_be_written_fails_the_compile_and_the_others_finish()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("shard-00001.afbshard"));
        using var writer = new ShardSetWriter(temp.Path, 4, 2, 1);
        var packer = new ShardPacker(4, packing: false, padToken: 0, windowRows: 1, writer);
        for (int i = 0; i < 4; i++)
        {
            packer.Add(new SampleView($"s{i}", ConversationKind.General, [i, i, i], 0, 3, [new(0, 3, Capability.None, true)]));
        }

        packer.Flush();
        Assert.ThrowsExactly<IOException>(() => writer.Complete(), "a folder stands where shard 1 goes");
        writer.Dispose();
        Assert.IsFalse(Directory.EnumerateFiles(temp.Path, ".*", SearchOption.AllDirectories).Any(), "no temp file left");
    }

    private static SampleView RandomSample(Random random, int n, int capacity, int width)
    {
        int length = random.Next(1, capacity + 1);
        int offset = random.Next(0, 3);
        var tokens = Enumerable.Range(0, offset + length + random.Next(0, 3)).Select(_ => width == 2 ? random.Next(0, 65536) : random.Next(0, int.MaxValue)).ToArray();
        var runs = new List<DocumentSegment>();
        for (int at = 0; at < length;)
        {
            int run = Math.Min(length - at, random.Next(1, 6));
            if (random.Next(4) > 0)
            {
                runs.Add(new DocumentSegment(at, run, (Capability)random.Next(0, 5), random.Next(2) == 0));
            }

            at += run;
        }

        return new SampleView($"s{n}", (ConversationKind)random.Next(0, 5), tokens, offset, length, [.. runs]);
    }
}
