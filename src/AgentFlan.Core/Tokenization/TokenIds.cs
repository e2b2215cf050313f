using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AgentFlan.Tokenization;

/// <summary>
/// Token ids between their in-memory form (<see cref="int"/>) and the 16-bit form shards and the samples stage
/// store when the vocabulary fits: a whole span at a time, vectorised where the hardware allows.
/// </summary>
internal static class TokenIds
{
    /// <summary>Whether every id is in [0, 65535].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool FitIn16Bits(ReadOnlySpan<int> ids)
    {
        var values = MemoryMarshal.Cast<int, uint>(ids);
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<uint>.Count)
        {
            var any = Vector<uint>.Zero;
            for (; i <= values.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                any |= new Vector<uint>(values[i..]);
            }

            if (Vector.GreaterThanAny(any, new Vector<uint>(ushort.MaxValue)))
            {
                return false;
            }
        }

        for (; i < values.Length; i++)
        {
            if (values[i] > ushort.MaxValue)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> as 16-bit ids.</summary>
    /// <exception cref="OverflowException">An id is negative or above 65535 (nothing is promised about <paramref name="destination"/> then).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Narrow(ReadOnlySpan<int> source, Span<ushort> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length, nameof(destination));
        var values = MemoryMarshal.Cast<int, uint>(source);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var limit = new Vector<uint>(ushort.MaxValue);
            int width = Vector<uint>.Count;
            for (; i <= values.Length - (2 * width); i += 2 * width)
            {
                var low = new Vector<uint>(values[i..]);
                var high = new Vector<uint>(values[(i + width)..]);
                if (Vector.GreaterThanAny(low | high, limit))
                {
                    throw OutOfRange(values.Slice(i, 2 * width));
                }

                Vector.Narrow(low, high).CopyTo(destination[i..]);
            }
        }

        for (; i < values.Length; i++)
        {
            destination[i] = values[i] <= ushort.MaxValue ? (ushort)values[i] : throw OutOfRange(values.Slice(i, 1));
        }
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> as 32-bit ids.</summary>
    /// <exception cref="OverflowException">An id is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(ReadOnlySpan<int> source, Span<uint> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length, nameof(destination));
        if (source.IndexOfAnyInRange(int.MinValue, -1) is var negative and >= 0)
        {
            throw new OverflowException($"Token id {source[negative]} is negative.");
        }

        MemoryMarshal.Cast<int, uint>(source).CopyTo(destination);
    }

    /// <summary>Copies 16-bit ids into <paramref name="destination"/> as <see cref="int"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Widen(ReadOnlySpan<ushort> source, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, source.Length, nameof(destination));
        var values = MemoryMarshal.Cast<int, uint>(destination);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<ushort>.Count;
            for (; i <= source.Length - width; i += width)
            {
                Vector.Widen(new Vector<ushort>(source[i..]), out var low, out var high);
                low.CopyTo(values[i..]);
                high.CopyTo(values[(i + Vector<uint>.Count)..]);
            }
        }

        for (; i < source.Length; i++)
        {
            values[i] = source[i];
        }
    }

    private static OverflowException OutOfRange(ReadOnlySpan<uint> values)
    {
        foreach (var value in values)
        {
            if (value > ushort.MaxValue)
            {
                return new OverflowException($"Token id {(int)value} does not fit in 16 bits.");
            }
        }

        return new OverflowException("A token id does not fit in 16 bits.");
    }
}
