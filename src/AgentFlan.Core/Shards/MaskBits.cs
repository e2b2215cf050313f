using System.Numerics;

namespace AgentFlan.Shards;

/// <summary>The loss mask as bits (<see cref="ShardFormat"/>): token t is bit t mod 8 of byte t / 8.</summary>
public static class MaskBits
{
    /// <summary>Sets <paramref name="count"/> bits from bit <paramref name="from"/> (the others are left as they are).</summary>
    public static void SetRange(Span<byte> bits, long from, int count)
    {
        if (count <= 0)
        {
            return;
        }

        long end = from + count;
        int first = (int)(from >> 3), last = (int)((end - 1) >> 3);
        int head = (int)(from & 7), tail = (int)(((end - 1) & 7) + 1);
        if (first == last)
        {
            bits[first] |= (byte)(((1 << (tail - head)) - 1) << head);
            return;
        }

        bits[first] |= (byte)(0xFF << head);
        bits.Slice(first + 1, last - first - 1).Fill(0xFF);
        bits[last] |= (byte)((1 << tail) - 1);
    }

    /// <summary>Sets the bit of each non-zero byte of <paramref name="loss"/>, from bit <paramref name="from"/>.</summary>
    public static void Pack(ReadOnlySpan<byte> loss, Span<byte> bits, long from)
    {
        for (int i = 0; i < loss.Length; i++)
        {
            if (loss[i] != 0)
            {
                long t = from + i;
                bits[(int)(t >> 3)] |= (byte)(1 << (int)(t & 7));
            }
        }
    }

    /// <summary>Writes one byte per bit (1 supervised, 0 not) for the <paramref name="loss"/>.Length bits from <paramref name="from"/>.</summary>
    public static void Unpack(ReadOnlySpan<byte> bits, long from, Span<byte> loss)
    {
        for (int i = 0; i < loss.Length; i++)
        {
            long t = from + i;
            loss[i] = (byte)((bits[(int)(t >> 3)] >> (int)(t & 7)) & 1);
        }
    }

    /// <summary>Set bits in <paramref name="bits"/> (whole bytes: the caller keeps unused bits clear).</summary>
    public static long Count(ReadOnlySpan<byte> bits)
    {
        long count = 0;
        while (bits.Length >= 8)
        {
            count += BitOperations.PopCount(BitConverter.ToUInt64(bits));
            bits = bits[8..];
        }

        foreach (var b in bits)
        {
            count += BitOperations.PopCount(b);
        }

        return count;
    }
}
