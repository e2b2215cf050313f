using System.Buffers.Binary;
using AgentFlan.IO;

namespace AgentFlan.Shards;

/// <summary>Writes a whole shard atomically (temp file + rename): a reader never sees half a shard.</summary>
public static class ShardWriter
{
    public static void Write(string path, int sequenceLength, int tokenWidth, IReadOnlyList<PackedRow> rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (tokenWidth is not (2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(tokenWidth), tokenWidth, "A token id takes 2 or 4 bytes.");
        }

        long tokensOffset = ShardFormat.HeaderSize;
        long lossOffset = ShardFormat.Align8(tokensOffset + ((long)rows.Count * sequenceLength * tokenWidth));
        long docsOffset = ShardFormat.Align8(lossOffset + ((long)rows.Count * sequenceLength));
        long documentCount = rows.Sum(r => (long)r.Documents.Count);
        long total = docsOffset + (documentCount * ShardFormat.DocumentEntrySize);

        AtomicFile.Write(path, stream =>
        {
            var header = new byte[ShardFormat.HeaderSize];
            ShardFormat.Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), ShardFormat.Version);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)tokenWidth);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)sequenceLength);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)rows.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), (ulong)documentCount);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), (ulong)tokensOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), (ulong)lossOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(48), (ulong)docsOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(56), (ulong)total);
            stream.Write(header);

            var tokenBytes = new byte[sequenceLength * tokenWidth];
            foreach (var row in rows)
            {
                if (row.Tokens.Length != sequenceLength || row.Loss.Length != sequenceLength)
                {
                    throw new ArgumentException("Every row must hold exactly the sequence length.", nameof(rows));
                }

                for (int i = 0; i < sequenceLength; i++)
                {
                    if (tokenWidth == 2)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(tokenBytes.AsSpan(i * 2), checked((ushort)row.Tokens[i]));
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(tokenBytes.AsSpan(i * 4), checked((uint)row.Tokens[i]));
                    }
                }

                stream.Write(tokenBytes);
            }

            Pad(stream, lossOffset);
            foreach (var row in rows)
            {
                stream.Write(row.Loss);
            }

            Pad(stream, docsOffset);
            var entry = new byte[ShardFormat.DocumentEntrySize];
            for (int r = 0; r < rows.Count; r++)
            {
                foreach (var (start, length, kind) in rows[r].Documents)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(0), (uint)r);
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), (uint)start);
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), (uint)length);
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), (uint)kind);
                    stream.Write(entry);
                }
            }
        });
    }

    private static void Pad(Stream stream, long offset)
    {
        while (stream.Position < offset)
        {
            stream.WriteByte(0);
        }
    }
}
