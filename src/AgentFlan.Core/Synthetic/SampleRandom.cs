namespace AgentFlan.Synthetic;

/// <summary>
/// A small deterministic generator (SplitMix64 seeding xoshiro256**). Each sample gets its own instance
/// derived from (seed, split, index), so a conversation never depends on how many came before it or on
/// which thread produced it. Never <see cref="System.Random"/>: its sequence is not a documented contract.
/// </summary>
internal sealed class SampleRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SampleRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator for one sample: a stable mix of every key, independent of all others.</summary>
    public static SampleRandom For(int seed, SyntheticSplit split, long index, ulong stream = 0)
    {
        var x = 0x5EED_AF1A_0000_0000UL ^ (uint)seed;
        var h = SplitMix(ref x);
        x = h ^ ((ulong)split + 1) * 0x9E37_79B9_7F4A_7C15UL;
        h = SplitMix(ref x);
        x = h ^ (ulong)index;
        h = SplitMix(ref x);
        x = h ^ stream * 0xD1B5_4A32_D192_ED03UL;
        return new SampleRandom(SplitMix(ref x));
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)((NextUInt64() >> 1) % (ulong)maxExclusive);
    }

    /// <summary>Uniform in [min, max] (both inclusive).</summary>
    public int Range(int min, int max) => min + Next(max - min + 1);

    /// <summary>Uniform in [min, max), rounded to <paramref name="decimals"/>.</summary>
    public double Range(double min, double max, int decimals) =>
        Math.Round(min + (NextDouble() * (max - min)), decimals, MidpointRounding.AwayFromZero);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentOutOfRangeException.ThrowIfZero(items.Count);
        return items[Next(items.Count)];
    }

    /// <summary><paramref name="count"/> distinct items, in a random order.</summary>
    public List<T> PickDistinct<T>(IReadOnlyList<T> items, int count)
    {
        var indices = Enumerable.Range(0, items.Count).ToList();
        var picked = new List<T>(count);
        for (var i = 0; i < count && indices.Count > 0; i++)
        {
            var j = Next(indices.Count);
            picked.Add(items[indices[j]]);
            indices.RemoveAt(j);
        }

        return picked;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E37_79B9_7F4A_7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
