using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AgentFlan.Conversations;
using AgentFlan.Tokenization;

namespace AgentFlan.Caching;

/// <summary>
/// The binary form of a document's tokens and segments: for the document memo the token ids as one little-endian
/// block, then each segment's start, length, capability and supervision; for the samples stage the compact form
/// (<see cref="WriteCompact"/>), read without a call per field.
/// </summary>
internal static class DocumentCodec
{
    public static void Write(BinaryWriter writer, int[] tokens, DocumentSegment[] segments)
    {
        writer.Write(tokens.Length);
        writer.Write(MemoryMarshal.AsBytes(tokens.AsSpan()));
        writer.Write(segments.Length);
        foreach (var segment in segments)
        {
            writer.Write(segment.Start);
            writer.Write(segment.Length);
            writer.Write((byte)segment.Capability);
            writer.Write(segment.Supervised);
        }
    }

    /// <summary>
    /// The samples stage's form (<see cref="SampleStore"/>): the token count, the bytes per id (2 when every id
    /// fits, else 4) and the ids little-endian at that width; then the segment count and the segments as one block
    /// of 10-byte entries (start, length, capability, supervised), read in one piece.
    /// </summary>
    public static void WriteCompact(BinaryWriter writer, int[] tokens, DocumentSegment[] segments, Scratch scratch)
    {
        writer.Write(tokens.Length);
        if (TokenIds.FitIn16Bits(tokens))
        {
            writer.Write((byte)2);
            var ids = scratch.Ids(tokens.Length);
            TokenIds.Narrow(tokens, ids);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(ids, ids);
            }

            writer.Write(MemoryMarshal.AsBytes(ids));
        }
        else
        {
            writer.Write((byte)4);
            var ids = MemoryMarshal.Cast<byte, int>(scratch.Bytes(tokens.Length * 4));
            tokens.CopyTo(ids);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(ids, ids);
            }

            writer.Write(MemoryMarshal.AsBytes(ids));
        }

        writer.Write(segments.Length);
        var block = scratch.Bytes(segments.Length * SegmentSize);
        for (int i = 0; i < segments.Length; i++)
        {
            var entry = block.Slice(i * SegmentSize, SegmentSize);
            BinaryPrimitives.WriteInt32LittleEndian(entry, segments[i].Start);
            BinaryPrimitives.WriteInt32LittleEndian(entry[4..], segments[i].Length);
            entry[8] = (byte)segments[i].Capability;
            entry[9] = segments[i].Supervised ? (byte)1 : (byte)0;
        }

        writer.Write(block);
    }

    /// <summary>Reads what <see cref="WriteCompact"/> wrote; counts above <paramref name="limit"/> (the entry's size) are damage.</summary>
    /// <exception cref="InvalidDataException">The bytes cannot be what <see cref="WriteCompact"/> wrote.</exception>
    public static (int[] Tokens, DocumentSegment[] Segments) ReadCompact(BinaryReader reader, long limit, Scratch scratch)
    {
        var (tokens, _, segments) = ReadCompact(reader, limit, scratch, withIds: true);
        return (tokens, segments);
    }

    /// <summary>
    /// The same, but without <paramref name="withIds"/> the ids are passed over (read, for the entry's checksum, but
    /// not decoded) and the tokens come back empty — when the segments are runs (<see cref="SampleView.AreRuns"/>), all
    /// a weighing needs; otherwise they are decoded anyway. The length is the document's token count either way.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes cannot be what <see cref="WriteCompact"/> wrote.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int[] Tokens, int Length, DocumentSegment[] Segments) ReadCompact(BinaryReader reader, long limit, Scratch scratch, bool withIds)
    {
        int count = reader.ReadInt32();
        int width = reader.ReadByte();
        if (count < 0 || (long)count * width > limit || width is not (2 or 4))
        {
            throw new InvalidDataException($"A stored document claims {count} token ids of {width} bytes.");
        }

        int[]? tokens = null;
        Span<ushort> raw = default;
        if (withIds && width == 4)
        {
            tokens = new int[count];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(tokens.AsSpan()));
        }
        else
        {
            raw = scratch.Ids(count * (width / 2));
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(raw));
        }

        int segmentCount = reader.ReadInt32();
        if (segmentCount < 0 || (long)segmentCount * SegmentSize > limit)
        {
            throw new InvalidDataException($"A stored document claims {segmentCount} segments.");
        }

        var block = scratch.Bytes(segmentCount * SegmentSize);
        reader.BaseStream.ReadExactly(block);
        var segments = new DocumentSegment[segmentCount];
        for (int i = 0; i < segments.Length; i++)
        {
            var entry = block.Slice(i * SegmentSize, SegmentSize);
            segments[i] = new DocumentSegment(BinaryPrimitives.ReadInt32LittleEndian(entry), BinaryPrimitives.ReadInt32LittleEndian(entry[4..]), (Capability)entry[8], entry[9] != 0);
        }

        if (tokens is null)
        {
            if (!withIds && SampleView.AreRuns(segments, count))
            {
                return ([], count, segments);
            }

            tokens = new int[count];
            if (width == 2)
            {
                if (!BitConverter.IsLittleEndian)
                {
                    BinaryPrimitives.ReverseEndianness(raw, raw);
                }

                TokenIds.Widen(raw, tokens);
            }
            else
            {
                MemoryMarshal.AsBytes(raw).CopyTo(MemoryMarshal.AsBytes(tokens.AsSpan()));
            }
        }

        if (width == 4 && !BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(tokens, tokens);
        }

        return (tokens, count, segments);
    }

    /// <summary>A document <see cref="WriteCompact"/> encoded, from its bytes (exactly one document).</summary>
    public static (int[] Tokens, DocumentSegment[] Segments) ReadCompact(ReadOnlySpan<byte> encoded)
    {
        if (!BitConverter.IsLittleEndian)
        {
            using var reader = new BinaryReader(new MemoryStream(encoded.ToArray()));
            return ReadCompact(reader, encoded.Length, new Scratch());
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(encoded);
        int width = encoded[4];
        if (count < 0 || width is not (2 or 4) || 5L + ((long)count * width) + 4 > encoded.Length)
        {
            throw new InvalidDataException($"A stored document claims {count} token ids of {width} bytes.");
        }

        var ids = encoded.Slice(5, count * width);
        var tokens = new int[count];
        if (width == 2)
        {
            TokenIds.Widen(MemoryMarshal.Cast<byte, ushort>(ids), tokens);
        }
        else
        {
            ids.CopyTo(MemoryMarshal.AsBytes(tokens.AsSpan()));
        }

        var rest = encoded[(5 + (count * width))..];
        int segmentCount = BinaryPrimitives.ReadInt32LittleEndian(rest);
        if (segmentCount < 0 || 4L + ((long)segmentCount * SegmentSize) != rest.Length)
        {
            throw new InvalidDataException($"A stored document claims {segmentCount} segments in {rest.Length - 4} bytes.");
        }

        var segments = new DocumentSegment[segmentCount];
        for (int i = 0; i < segments.Length; i++)
        {
            var entry = rest.Slice(4 + (i * SegmentSize), SegmentSize);
            segments[i] = new DocumentSegment(BinaryPrimitives.ReadInt32LittleEndian(entry), BinaryPrimitives.ReadInt32LittleEndian(entry[4..]), (Capability)entry[8], entry[9] != 0);
        }

        return (tokens, segments);
    }

    /// <summary>Moves past one document <see cref="WriteCompact"/> encoded, reading only its counts.</summary>
    public static void SkipCompact(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        int width = reader.ReadByte();
        if (count < 0 || width is not (2 or 4))
        {
            throw new InvalidDataException($"A stored document claims {count} token ids of {width} bytes.");
        }

        reader.BaseStream.Seek((long)count * width, SeekOrigin.Current);
        int segmentCount = reader.ReadInt32();
        if (segmentCount < 0)
        {
            throw new InvalidDataException($"A stored document claims {segmentCount} segments.");
        }

        reader.BaseStream.Seek((long)segmentCount * SegmentSize, SeekOrigin.Current);
    }

    private const int SegmentSize = 10;

    /// <summary>Buffers one reader or writer reuses from document to document.</summary>
    internal sealed class Scratch
    {
        private ushort[] _ids = new ushort[4096];
        private byte[] _bytes = new byte[4096];

        public Span<ushort> Ids(int count)
        {
            if (_ids.Length < count)
            {
                _ids = new ushort[Math.Max(count, 2 * _ids.Length)];
            }

            return _ids.AsSpan(0, count);
        }

        public Span<byte> Bytes(int count)
        {
            if (_bytes.Length < count)
            {
                _bytes = new byte[Math.Max(count, 2 * _bytes.Length)];
            }

            return _bytes.AsSpan(0, count);
        }
    }

    public static (int[] Tokens, DocumentSegment[] Segments) Read(BinaryReader reader)
    {
        var tokens = new int[reader.ReadInt32()];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(tokens.AsSpan()));
        var segments = new DocumentSegment[reader.ReadInt32()];
        for (int i = 0; i < segments.Length; i++)
        {
            segments[i] = new DocumentSegment(reader.ReadInt32(), reader.ReadInt32(), (Capability)reader.ReadByte(), reader.ReadBoolean());
        }

        return (tokens, segments);
    }
}
