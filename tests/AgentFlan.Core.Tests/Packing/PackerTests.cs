using AgentFlan.Conversations;
using AgentFlan.Packing;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Packing;

[TestClass]
public sealed class PackerTests
{
    [TestMethod]
    public void No_token_is_lost_duplicated_or_split_across_many_capacities_and_length_mixes()
    {
        var random = new Random(17);
        foreach (var capacity in new[] { 8, 16, 31, 64, 256 })
        {
            foreach (var maxLength in new[] { 1, 3, capacity / 2, capacity })
            {
                foreach (var packing in new[] { true, false })
                {
                    var samples = Enumerable.Range(0, 60).Select(i => Sample(i, random.Next(1, Math.Max(2, maxLength + 1)))).ToList();
                    var rows = Packer.Pack(samples, capacity, packing, padToken: -1);

                    var seen = new List<int>();
                    foreach (var row in rows)
                    {
                        Assert.AreEqual(capacity, row.Tokens.Length);
                        int covered = 0;
                        foreach (var (start, length, _) in row.Documents)
                        {
                            Assert.AreEqual(covered, start, "documents are contiguous from the row start");
                            var tokens = row.Tokens[start..(start + length)];
                            var id = tokens[0] / 1000;
                            CollectionAssert.AreEqual(samples[id].Tokens, tokens, "a sample stays whole and in order");
                            CollectionAssert.AreEqual(samples[id].Loss, row.Loss[start..(start + length)]);
                            seen.Add(id);
                            covered += length;
                        }

                        Assert.IsTrue(row.Tokens[covered..].All(t => t == -1), "the rest of the row is padding");
                        Assert.IsTrue(row.Loss[covered..].All(b => b == 0), "padding is never supervised");
                        if (!packing)
                        {
                            Assert.AreEqual(1, row.Documents.Count);
                        }
                    }

                    CollectionAssert.AreEquivalent(Enumerable.Range(0, samples.Count).ToList(), seen);
                    if (packing)
                    {
                        long total = samples.Sum(s => (long)s.Length);
                        Assert.IsTrue(rows.Count <= Math.Max(1, (2 * total / capacity) + 1), "first-fit never uses more than about twice the optimal rows");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Packing_is_deterministic()
    {
        var samples = Enumerable.Range(0, 40).Select(i => Sample(i, 1 + (i * 7 % 13))).ToList();
        var a = Packer.Pack(samples, 32, true, 0);
        var b = Packer.Pack(samples, 32, true, 0);
        Assert.AreEqual(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            CollectionAssert.AreEqual(a[i].Tokens, b[i].Tokens);
        }
    }

    private static TokenizedSample Sample(int id, int length) => new(
        $"s{id}",
        ConversationKind.AgentChat,
        [.. Enumerable.Range(0, length).Select(j => (id * 1000) + j)],
        [.. Enumerable.Range(0, length).Select(j => (byte)(j % 2))],
        new Capability[length]);
}
