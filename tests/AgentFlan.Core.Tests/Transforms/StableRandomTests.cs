using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class StableRandomTests
{
    [TestMethod]
    public void A_hash_from_the_ids_prefix_is_the_hash_of_the_whole_key()
    {
        foreach (var id in new[] { "", "a", "toolbench-000123", "ünïcødé id" })
        {
            var prefix = StableRandom.Prefix("capabilities", id);
            for (long index = -1; index < 40; index++)
            {
                foreach (var seed in new[] { 0, 7, -3 })
                {
                    Assert.AreEqual(StableRandom.Hash(seed, "capabilities", id, index), StableRandom.Hash(prefix, seed, index));
                    foreach (var p in new[] { 0.0, 0.25, 0.75, 1.0 })
                    {
                        Assert.AreEqual(StableRandom.Chance(p, seed, "capabilities", id, index), StableRandom.Chance(p, prefix, seed, index));
                    }
                }
            }
        }
    }
}
