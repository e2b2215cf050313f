namespace AgentFlan.Shards;

/// <summary>
/// The binary shard layout (version 1), little-endian, modelled on llm.c's checked header:
/// <code>
///   0  8 bytes  magic "AFBSHARD"
///   8  uint32   format version (1)
///  12  uint32   bytes per token id (2 or 4)
///  16  uint32   sequence length L (tokens per row)
///  20  uint32   row count R
///  24  uint64   document count D
///  32  uint64   offset of token ids   (R·L ids, row-major)
///  40  uint64   offset of loss mask   (R·L bytes: 1 = supervised)
///  48  uint64   offset of documents   (D entries of 16 bytes: uint32 row, uint32 start, uint32 length, uint32 kind)
///  56  uint64   total file length (a truncated file is detected before anything is read)
/// </code>
/// Sections start on 8-byte boundaries. Padding tokens belong to no document and have mask 0.
/// </summary>
public static class ShardFormat
{
    public const int Version = 1;
    public const int HeaderSize = 64;
    public const int DocumentEntrySize = 16;
    public static ReadOnlySpan<byte> Magic => "AFBSHARD"u8;
    public const string Extension = ".afbshard";

    internal static long Align8(long value) => (value + 7) & ~7L;
}
