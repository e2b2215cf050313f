using AgentFlan.Conversations;
using AgentFlan.Packing;
using AgentFlan.Shards;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Packing;

[TestClass]
public sealed class PackerTests
{
    /// <summary>Length distributions (capacity → sample length), each with a different shape.</summary>
    private static readonly (string Name, Func<Random, int, int> Draw)[] Distributions =
    [
        ("uniform", (r, c) => r.Next(1, c + 1)),
        ("tiny", (r, c) => r.Next(1, Math.Min(c, 3) + 1)),
        ("half-and-below", (r, c) => r.Next(1, Math.Max(2, c / 2) + 1)),
        ("just-over-half", (r, c) => Math.Min(c, (c / 2) + r.Next(1, 3))),
        ("full", (r, c) => c),
        ("long-tail", (r, c) => Math.Clamp((int)(c * Math.Pow(r.NextDouble(), 4)), 1, c)),
        ("bimodal", (r, c) => r.Next(2) == 0 ? r.Next(1, Math.Max(2, c / 8)) : Math.Max(1, c - r.Next(0, Math.Max(1, c / 8)))),
    ];

    [TestMethod]
    public void No_token_is_lost_duplicated_or_split_across_many_capacities_and_length_distributions()
    {
        var random = new Random(17);
        foreach (var capacity in new[] { 1, 2, 7, 8, 16, 31, 64, 256, 1000 })
        {
            foreach (var (name, draw) in Distributions)
            {
                foreach (var packing in new[] { true, false })
                {
                    var samples = Enumerable.Range(0, random.Next(1, 300)).Select(i => Sample(i, Math.Clamp(draw(random, capacity), 1, capacity))).ToList();
                    var rows = Packer.Pack(samples, capacity, packing, padToken: -1);
                    var context = $"capacity {capacity}, {name}, packing {packing}";
                    CheckRows(samples, rows, capacity, context);
                    if (!packing)
                    {
                        Assert.AreEqual(samples.Count, rows.Count, context);
                    }
                    else
                    {
                        long total = samples.Sum(s => (long)s.Length);
                        long lowerBound = (total + capacity - 1) / capacity;

                        // First-fit-decreasing never opens a row while another row is at most half full, so
                        // all rows but one are more than half full: rows <= 2·optimal.
                        Assert.IsTrue(rows.Count <= (2 * lowerBound) + 1, $"{context}: {rows.Count} rows for a lower bound of {lowerBound}");
                        Assert.AreEqual(NaiveFirstFitDecreasing(samples, capacity), rows.Count, $"{context}: the tree must place exactly like a linear first-fit scan");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Streaming_packing_loses_nothing_and_reports_its_fill_rate()
    {
        var random = new Random(5);
        foreach (var capacity in new[] { 16, 128, 512 })
        {
            foreach (var (name, draw) in Distributions)
            {
                var samples = Enumerable.Range(0, 2000).Select(i => Sample(i, Math.Clamp(draw(random, capacity), 1, capacity))).ToList();
                var packer = new StreamingPacker(capacity, packing: true, padToken: -1, windowRows: 64);
                var rows = new List<PackedRow>();
                foreach (var sample in samples)
                {
                    rows.AddRange(packer.Add(sample));
                }

                rows.AddRange(packer.Flush());
                CheckRows(samples, rows, capacity, $"streaming, capacity {capacity}, {name}");

                long tokens = samples.Sum(s => (long)s.Length);
                double fill = (double)tokens / ((long)rows.Count * capacity);
                double whole = (double)tokens / ((long)Packer.Pack(samples, capacity, true, -1).Count * capacity);
                Console.WriteLine($"capacity {capacity,4} {name,-15} fill {fill:P1} (whole-corpus FFD {whole:P1}), {rows.Count} rows");
                Assert.IsTrue(fill >= whole - 0.05, $"windowed packing fills {fill:P1}, whole-corpus FFD {whole:P1}");
            }
        }
    }

    [TestMethod]
    public void Packing_is_deterministic_and_ties_keep_input_order()
    {
        var samples = Enumerable.Range(0, 40).Select(i => Sample(i, 1 + (i * 7 % 13))).ToList();
        var a = Packer.Pack(samples, 32, true, 0);
        var b = Packer.Pack(samples, 32, true, 0);
        Assert.AreEqual(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            CollectionAssert.AreEqual(a[i].Tokens, b[i].Tokens);
        }

        var equal = Enumerable.Range(0, 4).Select(i => Sample(i, 8)).ToList();
        var row = Packer.Pack(equal, 32, true, 0).Single();
        CollectionAssert.AreEqual(new[] { 0, 8, 16, 24 }, row.Documents.Select(d => d.Start).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 1000, 2000, 3000 }, row.Documents.Select(d => row.Tokens[d.Start]).ToArray());
    }

    private static void CheckRows(List<TokenizedSample> samples, IReadOnlyList<PackedRow> rows, int capacity, string context)
    {
        var seen = new List<int>();
        foreach (var row in rows)
        {
            Assert.AreEqual(capacity, row.Tokens.Length, context);
            Assert.AreEqual(capacity, row.Loss.Length, context);
            Assert.IsTrue(row.Documents.Count > 0, $"{context}: no empty row");
            int covered = 0;
            foreach (var (start, length, kind) in row.Documents)
            {
                Assert.AreEqual(covered, start, $"{context}: documents are contiguous from the row start");
                var tokens = row.Tokens[start..(start + length)];
                var id = tokens[0] / 1000;
                CollectionAssert.AreEqual(samples[id].Tokens, tokens, $"{context}: a sample stays whole and in order");
                CollectionAssert.AreEqual(samples[id].Loss, row.Loss[start..(start + length)], context);
                Assert.AreEqual((int)samples[id].Kind, kind, context);
                seen.Add(id);
                covered += length;
            }

            Assert.IsTrue(row.Tokens[covered..].All(t => t == -1), $"{context}: the rest of the row is padding");
            Assert.IsTrue(row.Loss[covered..].All(b => b == 0), $"{context}: padding is never supervised");
        }

        seen.Sort();
        CollectionAssert.AreEqual(Enumerable.Range(0, samples.Count).ToList(), seen, $"{context}: every sample exactly once");
    }

    /// <summary>The textbook O(n·bins) first-fit-decreasing, as a reference for the tree.</summary>
    private static int NaiveFirstFitDecreasing(IReadOnlyList<TokenizedSample> samples, int capacity)
    {
        var free = new List<int>();
        foreach (var length in samples.Select(s => s.Length).OrderDescending())
        {
            int bin = free.FindIndex(f => f >= length);
            if (bin < 0)
            {
                free.Add(capacity - length);
            }
            else
            {
                free[bin] -= length;
            }
        }

        return free.Count;
    }

    private static TokenizedSample Sample(int id, int length) => new(
        $"s{id}",
        (ConversationKind)(id % 5),
        [.. Enumerable.Range(0, length).Select(j => (id * 1000) + j)],
        [.. Enumerable.Range(0, length).Select(j => (byte)(j % 2))],
        new Capability[length]);
}
