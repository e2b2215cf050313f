using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AgentFlan.Hashing;

/// <summary>A SHA-256 digest as a value (four words, no array): cheap to keep by the million as a dictionary key.</summary>
public readonly record struct Digest256(ulong A, ulong B, ulong C, ulong D)
{
    public static Digest256 Of(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return new Digest256(
            BinaryPrimitives.ReadUInt64LittleEndian(hash),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
    }
}
