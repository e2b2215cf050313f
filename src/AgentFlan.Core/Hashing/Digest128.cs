using System.IO.Hashing;

namespace AgentFlan.Hashing;

/// <summary>
/// A 128-bit XXH128 digest as a value (two words, no array): cheap to compute (several GB/s, against SHA-256's
/// few hundred MB/s here) and to keep by the million as a dictionary key. For grouping content (exact duplicates),
/// never to address a stored result (those are SHA-256): two different contents share one with probability about
/// n²/2¹²⁹ (10⁻²⁰ for a billion), and nothing adversarial chooses the content being grouped.
/// </summary>
public readonly record struct Digest128(ulong High, ulong Low)
{
    public static Digest128 Of(ReadOnlySpan<byte> data)
    {
        var hash = XxHash128.HashToUInt128(data);
        return new Digest128((ulong)(hash >> 64), (ulong)hash);
    }
}
