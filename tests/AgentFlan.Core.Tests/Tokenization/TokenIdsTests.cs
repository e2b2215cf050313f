using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class TokenIdsTests
{
    [TestMethod]
    public void Narrowing_and_widening_round_trip_at_every_length()
    {
        var random = new Random(2);
        for (int length = 0; length < 200; length++)
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(0, 65536)).ToArray();
            ids.AsSpan(0, Math.Min(length, 2)).Fill(65535);
            Assert.IsTrue(TokenIds.FitIn16Bits(ids));
            var narrow = new ushort[length];
            TokenIds.Narrow(ids, narrow);
            CollectionAssert.AreEqual(ids.Select(i => (ushort)i).ToArray(), narrow, $"length {length}");
            var wide = new int[length];
            TokenIds.Widen(narrow, wide);
            CollectionAssert.AreEqual(ids, wide, $"length {length}");
        }
    }

    [TestMethod]
    public void An_id_that_does_not_fit_is_refused_wherever_it_is()
    {
        foreach (var bad in new[] { 65536, -1, int.MaxValue, int.MinValue })
        {
            for (int length = 1; length < 70; length += 7)
            {
                for (int at = 0; at < length; at += 5)
                {
                    var ids = new int[length];
                    ids[at] = bad;
                    Assert.IsFalse(TokenIds.FitIn16Bits(ids), $"{bad} at {at} of {length}");
                    Assert.ThrowsExactly<OverflowException>(() => TokenIds.Narrow(ids, new ushort[length]), $"{bad} at {at} of {length}");
                }
            }
        }

        Assert.ThrowsExactly<OverflowException>(() => TokenIds.Widen([1, -5, 3], new uint[3]));
    }
}
