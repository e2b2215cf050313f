namespace AgentFlan.Transforms;

/// <summary>
/// Every random choice of the transforms: a pure function of (seed, transform, sample id, index). No shared
/// state and no <see cref="System.Random"/>, so a sample's fate never depends on input order, on how many
/// samples came before it, or on threads. FNV-1a over the UTF-16 text, finished with SplitMix64.
/// </summary>
public static class StableRandom
{
    /// <summary>A 64-bit hash of the key.</summary>
    public static ulong Hash(int seed, string transform, string id, long index = 0) => Hash(seed, transform, id.AsSpan(), index);

    /// <summary>The same hash for an id given as characters.</summary>
    public static ulong Hash(int seed, string transform, ReadOnlySpan<char> id, long index = 0) => Hash(Prefix(transform, id), seed, index);

    /// <summary>
    /// The part of the hash that depends on the transform and the id only: many draws for one id (a sample's segments)
    /// hash its text once. <see cref="Hash(ulong, int, long)"/> finishes it exactly as <see cref="Hash(int, string, ReadOnlySpan{char}, long)"/> does.
    /// </summary>
    public static ulong Prefix(string transform, ReadOnlySpan<char> id)
    {
        var h = 0xCBF2_9CE4_8422_2325UL;
        h = Mix(h, transform);
        h = Mix(h, "\u0001");
        return Mix(h, id);
    }

    /// <summary>The hash of (seed, transform, id, index) from the transform and id's <see cref="Prefix"/>.</summary>
    public static ulong Hash(ulong prefix, int seed, long index)
    {
        var x = prefix ^ ((ulong)(uint)seed << 32) ^ (ulong)index * 0x9E37_79B9_7F4A_7C15UL;
        return Finish(Finish(x) ^ (ulong)index);
    }

    /// <summary><see cref="Chance(double, int, string, ReadOnlySpan{char}, long)"/> from the transform and id's <see cref="Prefix"/>.</summary>
    public static bool Chance(double p, ulong prefix, int seed, long index) =>
        p >= 1 || (p > 0 && ToUnit(Hash(prefix, seed, index)) < p);

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(int seed, string transform, string id, long index = 0) => Unit(seed, transform, id.AsSpan(), index);

    public static double Unit(int seed, string transform, ReadOnlySpan<char> id, long index = 0) =>
        ToUnit(Hash(seed, transform, id, index));

    /// <summary>True with probability <paramref name="p"/> (exactly always for 1, never for 0).</summary>
    public static bool Chance(double p, int seed, string transform, string id, long index = 0) =>
        Chance(p, seed, transform, id.AsSpan(), index);

    public static bool Chance(double p, int seed, string transform, ReadOnlySpan<char> id, long index = 0) =>
        p >= 1 || (p > 0 && Unit(seed, transform, id, index) < p);

    /// <summary>The items ordered by their hash (ties by id): a shuffle that ignores the input order.</summary>
    public static List<T> Rank<T>(IEnumerable<T> items, Func<T, string> id, int seed, string transform, long index = 0) =>
        [.. items
            .Select(item => (Item: item, Id: id(item), Key: Hash(seed, transform, id(item), index)))
            .OrderBy(x => x.Key)
            .ThenBy(x => x.Id, StringComparer.Ordinal)
            .Select(x => x.Item)];

    /// <summary>
    /// Positions 0..<paramref name="count"/>−1 ordered by <paramref name="key"/> (the item's <see cref="Hash(int, string, string, long)"/>),
    /// ties by <paramref name="id"/> then position: the order <see cref="Rank{T}"/> gives, without a string per item.
    /// </summary>
    public static int[] Rank(int count, Func<int, ulong> key, Func<int, string> id)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(id);
        var keys = new (ulong Key, int Position)[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = (key(i), i);
        }

        Array.Sort(keys, (a, b) =>
        {
            var order = a.Key.CompareTo(b.Key);
            if (order == 0 && a.Position != b.Position)
            {
                order = string.CompareOrdinal(id(a.Position), id(b.Position));
            }

            return order != 0 ? order : a.Position.CompareTo(b.Position);
        });
        return [.. keys.Select(k => k.Position)];
    }

    /// <summary>A hash's top 53 bits as a number in [0, 1).</summary>
    private static double ToUnit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong h, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            h = (h ^ c) * 0x0000_0100_0000_01B3UL;
        }

        return h;
    }

    private static ulong Finish(ulong z)
    {
        z += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
