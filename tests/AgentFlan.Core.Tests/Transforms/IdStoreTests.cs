using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class IdStoreTests
{
    [TestMethod]
    public void Ids_read_back_exactly_narrow_wide_long_and_across_chunks()
    {
        var store = new IdStore();
        string[] ids =
        [
            "syn-train-7-000001", "ünïcödé-ÿ", "中文-id", "emoji-😀", "lone-\ud800-surrogate", string.Empty,
            new string('x', 3_000_000), "after-the-long-one",
        ];
        var all = ids.Concat(Enumerable.Range(0, 200_000).Select(i => $"bulk-{i}")).ToList();
        var refs = all.Select(id => store.Add(id)).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            Assert.AreEqual(all[i], store.ToString(refs[i]), $"id {i}");
        }

        Assert.AreEqual("中文-id~g3", new string(store.Chars(refs[2], "~g3")));
        Assert.AreEqual(StableRandom.Hash(5, "t", "emoji-😀"), StableRandom.Hash(5, "t", store.Chars(refs[3])));
    }

    [TestMethod]
    public void Ranking_positions_by_key_matches_ranking_items_by_id()
    {
        var ids = Enumerable.Range(0, 500).Select(i => $"c{i % 170}").ToList();
        var expected = StableRandom.Rank(Enumerable.Range(0, ids.Count), i => ids[i], 3, "t");
        var actual = StableRandom.Rank(ids.Count, i => StableRandom.Hash(3, "t", ids[i]), i => ids[i]);
        CollectionAssert.AreEqual(expected, actual, "equal ids tie on the hash and keep their order");
    }
}
