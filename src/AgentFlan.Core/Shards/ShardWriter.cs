using System.Buffers.Binary;
using System.Security.Cryptography;
using AgentFlan.IO;

namespace AgentFlan.Shards;

/// <summary>Writes a whole shard atomically (temp file + rename): a reader never sees half a shard.</summary>
public static class ShardWriter
{
    public static void Write(string path, int sequenceLength, int tokenWidth, IReadOnlyList<PackedRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var buffer = new ShardBuffer(sequenceLength, tokenWidth, Math.Max(1, rows.Count));
        foreach (var row in rows)
        {
            buffer.Add(row);
        }

        Write(path, buffer);
    }

    /// <summary>
    /// Writes the rows gathered in <paramref name="buffer"/> as a shard file and returns the file's SHA-256 (lowercase
    /// hex), computed from the bytes as they are written rather than by reading the file back.
    /// </summary>
    internal static string Write(string path, ShardBuffer buffer)
    {
        int tokenWidth = buffer.TokenWidth, sequenceLength = buffer.SequenceLength;
        long tokensOffset = ShardFormat.HeaderSize;
        long lossOffset = ShardFormat.Align8(tokensOffset + ((long)buffer.Rows * sequenceLength * tokenWidth));
        long docsOffset = ShardFormat.Align8(lossOffset + ((long)buffer.Rows * sequenceLength));
        long total = docsOffset + (buffer.DocumentCount * ShardFormat.DocumentEntrySize);

        var header = new byte[ShardFormat.HeaderSize];
        ShardFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), ShardFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)tokenWidth);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)sequenceLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)buffer.Rows);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), (ulong)buffer.DocumentCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), (ulong)tokensOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), (ulong)lossOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), (ulong)docsOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(56), (ulong)total);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AtomicFile.Write(path, stream =>
        {
            void Put(ReadOnlySpan<byte> bytes)
            {
                hash.AppendData(bytes);
                stream.Write(bytes);
            }

            Span<byte> zeros = stackalloc byte[8];
            zeros.Clear();
            Put(header);
            Put(buffer.TokenBytes);
            Put(zeros[..(int)(lossOffset - tokensOffset - buffer.TokenBytes.Length)]);
            Put(buffer.Loss);
            Put(zeros[..(int)(docsOffset - lossOffset - buffer.Loss.Length)]);
            Put(buffer.DocumentEntries);
            if (stream.Position != total)
            {
                throw new InvalidOperationException($"Shard '{path}' came out {stream.Position} bytes long; its header says {total}.");
            }
        });

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
