using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using AgentFlan.Diagnostics;

namespace AgentFlan.Shards;

/// <summary>
/// Memory-maps a shard's token file and reads its mask file, checking both headers before anything else is read
/// (llm.c's "Bad magic" rule): a damaged, foreign or mismatched file fails with AFB2003 naming the file, never with
/// garbage tokens.
/// </summary>
public sealed class ShardReader : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _tokensOffset;
    private readonly byte[] _mask;
    private readonly ShardDocument[][] _documentsByRow;

    private ShardReader(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte[] header, byte[] mask)
    {
        Path = path;
        _file = file;
        _view = view;
        _mask = mask;
        TokenWidth = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        SequenceLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
        RowCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
        var documentCount = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(24));
        _tokensOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(32));
        var docsOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(40));

        var rows = new List<ShardDocument>[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            rows[r] = [];
        }

        for (long d = 0; d < documentCount; d++)
        {
            long at = docsOffset + (d * ShardFormat.DocumentEntrySize);
            int row = (int)_view.ReadUInt32(at);
            if ((uint)row >= (uint)RowCount)
            {
                throw Invalid(path, $"document {d} names row {row}, but the shard has {RowCount} rows");
            }

            rows[row].Add(new ShardDocument(row, (int)_view.ReadUInt32(at + 4), (int)_view.ReadUInt32(at + 8), (int)_view.ReadUInt32(at + 12)));
        }

        _documentsByRow = [.. rows.Select(r => r.ToArray())];
        DocumentCount = documentCount;
    }

    public string Path { get; }

    public int TokenWidth { get; }

    public int SequenceLength { get; }

    public int RowCount { get; }

    public long DocumentCount { get; }

    public static ShardReader Open(string path)
    {
        var length = new FileInfo(path).Length;
        if (length < ShardFormat.HeaderSize)
        {
            throw Invalid(path, $"the file is {length} bytes, shorter than the {ShardFormat.HeaderSize}-byte header");
        }

        var header = new byte[ShardFormat.HeaderSize];
        using (var stream = File.OpenRead(path))
        {
            stream.ReadExactly(header);
        }

        if (!header.AsSpan(0, 8).SequenceEqual(ShardFormat.Magic))
        {
            throw Invalid(path, "bad magic: this is not an AgentFlan shard");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
        if (version != ShardFormat.Version)
        {
            throw Invalid(path, $"format version {version} is not supported (this build reads version {ShardFormat.Version}); recompile the recipe");
        }

        var width = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        var declared = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(48));
        if (width is not (2 or 4) || declared != length)
        {
            throw Invalid(path, $"the header declares {declared} bytes and {width}-byte tokens, the file has {length} bytes (truncated or damaged)");
        }

        var mask = ReadMask(path, (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20)));
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            return new ShardReader(path, file, view, header, mask);
        }
        catch
        {
            view.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Copies row <paramref name="row"/>'s token ids and loss mask into the given spans (length L each).</summary>
    public void ReadRow(int row, Span<int> tokens, Span<byte> loss)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)RowCount, nameof(row));
        long tokenBase = _tokensOffset + ((long)row * SequenceLength * TokenWidth);
        for (int i = 0; i < SequenceLength; i++)
        {
            tokens[i] = TokenWidth == 2
                ? _view.ReadUInt16(tokenBase + (i * 2))
                : (int)_view.ReadUInt32(tokenBase + (i * 4));
        }

        MaskBits.Unpack(_mask, (long)row * SequenceLength, loss[..SequenceLength]);
    }

    public IReadOnlyList<ShardDocument> GetDocuments(int row) => _documentsByRow[row];

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    /// <summary>The mask bits of the token file at <paramref name="path"/> (a plane of R·L bits: small enough to hold).</summary>
    private static byte[] ReadMask(string path, int sequenceLength, int rows)
    {
        var maskPath = ShardFormat.MaskPathOf(path);
        if (!File.Exists(maskPath))
        {
            throw Invalid(maskPath, $"the mask file of '{path}' is missing");
        }

        var bytes = File.ReadAllBytes(maskPath);
        if (bytes.Length < ShardFormat.MaskHeaderSize || !bytes.AsSpan(0, 8).SequenceEqual(ShardFormat.MaskMagic))
        {
            throw Invalid(maskPath, "bad magic: this is not an AgentFlan mask file");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != ShardFormat.Version)
        {
            throw Invalid(maskPath, $"format version {version} is not supported (this build reads version {ShardFormat.Version}); recompile the recipe");
        }

        var declared = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24));
        int maskLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)), maskRows = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
        long bits = ShardFormat.MaskBytes((long)rows * sequenceLength);
        if (declared != bytes.Length || ShardFormat.MaskHeaderSize + bits > bytes.Length)
        {
            throw Invalid(maskPath, $"the header declares {declared} bytes, the file has {bytes.Length} (truncated or damaged)");
        }

        if (maskLength != sequenceLength || maskRows != rows)
        {
            throw Invalid(maskPath, $"it holds {maskRows} rows of {maskLength} tokens, its token file {rows} rows of {sequenceLength} (not the mask of that file)");
        }

        return bytes[ShardFormat.MaskHeaderSize..];
    }

    private static DiagnosticException Invalid(string path, string why) =>
        new(Diagnostic.Error(DiagnosticCodes.ShardInvalid, $"Shard '{path}' is invalid: {why}.", path));
}
