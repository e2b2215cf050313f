using System.Runtime.InteropServices;
using AgentFlan.Conversations;
using AgentFlan.Tokenization;

namespace AgentFlan.Caching;

/// <summary>
/// The binary form of a document's tokens and segments, shared by the samples stage and the document memo:
/// the token ids as one little-endian block, then each segment's start, length, capability and supervision.
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
