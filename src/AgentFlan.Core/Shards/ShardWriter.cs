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
    /// Writes the rows gathered in <paramref name="buffer"/> as a shard's token file at <paramref name="path"/> and its
    /// mask file beside it (<see cref="ShardFormat.MaskPathOf"/>), and returns each file's SHA-256 (lowercase hex),
    /// computed from the bytes as they are written rather than by reading the files back.
    /// </summary>
    internal static (string Tokens, string Mask) Write(string path, ShardBuffer buffer) =>
        (WriteTokens(path, buffer), WriteMask(ShardFormat.MaskPathOf(path), buffer));

    /// <summary>The token file: header, token ids, document entries.</summary>
    internal static string WriteTokens(string path, ShardBuffer buffer)
    {
        int tokenWidth = buffer.TokenWidth, sequenceLength = buffer.SequenceLength;
        long tokensOffset = ShardFormat.HeaderSize;
        long docsOffset = ShardFormat.Align8(tokensOffset + ((long)buffer.Rows * sequenceLength * tokenWidth));
        long total = docsOffset + (buffer.DocumentCount * ShardFormat.DocumentEntrySize);

        var header = new byte[ShardFormat.HeaderSize];
        ShardFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), ShardFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)tokenWidth);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)sequenceLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)buffer.Rows);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), (ulong)buffer.DocumentCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), (ulong)tokensOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), (ulong)docsOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), (ulong)total);

        return Hashed(path, total, (put, zeros) =>
        {
            put(header);
            put(buffer.TokenBytes);
            put(zeros[..(int)(docsOffset - tokensOffset - buffer.TokenBytes.Length)]);
            put(buffer.DocumentEntries);
        });
    }

    /// <summary>The mask file: header, the mask bits.</summary>
    internal static string WriteMask(string path, ShardBuffer buffer)
    {
        int bits = buffer.Mask.Length;
        long total = ShardFormat.Align8(ShardFormat.MaskHeaderSize + bits);
        var header = new byte[ShardFormat.MaskHeaderSize];
        ShardFormat.MaskMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), ShardFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)buffer.SequenceLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)buffer.Rows);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), (ulong)total);
        return Hashed(path, total, (put, zeros) =>
        {
            put(header);
            put(buffer.Mask);
            put(zeros[..(int)(total - ShardFormat.MaskHeaderSize - bits)]);
        });
    }

    private delegate void Append(ReadOnlySpan<byte> bytes);

    private delegate void Sections(Append append, ReadOnlySpan<byte> zeros);

    /// <summary>Writes <paramref name="sections"/> atomically, checking the length the header declares, and returns their SHA-256.</summary>
    private static string Hashed(string path, long total, Sections sections)
    {
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
            sections(Put, zeros);
            if (stream.Position != total)
            {
                throw new InvalidOperationException($"Shard file '{path}' came out {stream.Position} bytes long; its header says {total}.");
            }
        });

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
