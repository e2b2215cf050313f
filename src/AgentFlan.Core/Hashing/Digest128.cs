using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AgentFlan.Hashing;

/// <summary>
/// The first 128 bits of a SHA-256 digest as a value (two words, no array): cheap to keep by the million as a
/// dictionary key. Two different contents share one with probability about n²/2¹²⁹ (10⁻²⁰ for a billion).
/// </summary>
public readonly record struct Digest128(ulong High, ulong Low)
{
    public static Digest128 Of(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return new Digest128(BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]));
    }
}
