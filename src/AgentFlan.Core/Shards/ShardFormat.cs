namespace AgentFlan.Shards;

/// <summary>
/// The binary shard layout (version 2), little-endian, modelled on llm.c's checked header. A shard is two files
/// side by side: the rows' token ids and document boundaries (<c>shard-NNNNN.afbshard</c>), and their loss mask
/// (<c>shard-NNNNN.afbmask</c>). They are apart because they change apart: capability weights and the masking
/// policy change only the mask, so a compile that changed only those writes masks (an eighth of a byte per token)
/// and keeps the token files it wrote before.
/// <para>Token file:</para>
/// <code>
///   0  8 bytes  magic "AFBSHARD"
///   8  uint32   format version (2)
///  12  uint32   bytes per token id (2 or 4)
///  16  uint32   sequence length L (tokens per row)
///  20  uint32   row count R
///  24  uint64   document count D
///  32  uint64   offset of token ids   (R·L ids, row-major)
///  40  uint64   offset of documents   (D entries of 16 bytes: uint32 row, uint32 start, uint32 length, uint32 kind)
///  48  uint64   total file length (a truncated file is detected before anything is read)
///  56  uint64   0 (reserved)
/// </code>
/// <para>Mask file:</para>
/// <code>
///   0  8 bytes  magic "AFBMASK\0"
///   8  uint32   format version (2)
///  12  uint32   sequence length L
///  16  uint32   row count R
///  20  uint32   0 (reserved)
///  24  uint64   total file length
///  32           R·L bits, row-major: token t = r·L + i is bit (t mod 8) of byte t / 8, 1 = supervised
/// </code>
/// Sections start on 8-byte boundaries. Padding tokens belong to no document and are not supervised.
/// </summary>
public static class ShardFormat
{
    public const int Version = 2;
    public const int HeaderSize = 64;
    public const int MaskHeaderSize = 32;
    public const int DocumentEntrySize = 16;
    public static ReadOnlySpan<byte> Magic => "AFBSHARD"u8;
    public static ReadOnlySpan<byte> MaskMagic => "AFBMASK\0"u8;
    public const string Extension = ".afbshard";
    public const string MaskExtension = ".afbmask";

    /// <summary>The mask file of the token file at <paramref name="path"/>.</summary>
    public static string MaskPathOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.ChangeExtension(path, MaskExtension);
    }

    /// <summary>Bytes of a mask plane of <paramref name="tokens"/> bits.</summary>
    public static long MaskBytes(long tokens) => (tokens + 7) / 8;

    internal static long Align8(long value) => (value + 7) & ~7L;
}
