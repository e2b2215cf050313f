namespace AgentFlan.Trainer.Data;

/// <summary>
/// Which row the n-th training sample is: a pure function of (seed, epoch, position), so a run, a rerun
/// and a resumed run see the same rows in the same order. Each epoch is a fresh Fisher–Yates permutation
/// drawn from a SplitMix64 stream seeded by (seed, epoch); our own generator, so the order does not depend
/// on System.Random's implementation.
/// </summary>
public sealed class DataOrder
{
    private readonly long _rowCount;
    private readonly int _seed;
    private long _cachedEpoch = -1;
    private long[] _permutation = [];

    public DataOrder(long rowCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, 1);
        _rowCount = rowCount;
        _seed = seed;
    }

    /// <summary>The row of global sample <paramref name="sample"/> (epochs follow each other).</summary>
    public long RowAt(long sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        long epoch = sample / _rowCount;
        if (epoch != _cachedEpoch)
        {
            _permutation = Permutation(_seed, epoch, _rowCount);
            _cachedEpoch = epoch;
        }

        return _permutation[sample % _rowCount];
    }

    public static long[] Permutation(int seed, long epoch, long count)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++)
        {
            order[i] = i;
        }

        ulong state = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)epoch * 0xD1B54A32D192ED03UL) ^ 0x5851F42D4C957F2DUL;
        for (long i = count - 1; i > 0; i--)
        {
            long j = (long)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
