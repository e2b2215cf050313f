using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using AgentFlan.Diagnostics;

namespace AgentFlan.Shards;

/// <summary>
/// Memory-maps a shard and checks its header before anything else is read (llm.c's "Bad magic" rule):
/// a damaged or foreign file fails with AFB2003 naming the file, never with garbage tokens.
/// </summary>
public sealed class ShardReader : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _tokensOffset;
    private readonly long _lossOffset;
    private readonly ShardDocument[][] _documentsByRow;

    private ShardReader(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte[] header)
    {
        Path = path;
        _file = file;
        _view = view;
        TokenWidth = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        SequenceLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16));
        RowCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20));
        var documentCount = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(24));
        _tokensOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(32));
        _lossOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(40));
        var docsOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(48));

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
        var declared = (long)BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(56));
        if (width is not (2 or 4) || declared != length)
        {
            throw Invalid(path, $"the header declares {declared} bytes and {width}-byte tokens, the file has {length} bytes (truncated or damaged)");
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            return new ShardReader(path, file, view, header);
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

        long lossBase = _lossOffset + ((long)row * SequenceLength);
        for (int i = 0; i < SequenceLength; i++)
        {
            loss[i] = _view.ReadByte(lossBase + i);
        }
    }

    public IReadOnlyList<ShardDocument> GetDocuments(int row) => _documentsByRow[row];

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }

    private static DiagnosticException Invalid(string path, string why) =>
        new(Diagnostic.Error(DiagnosticCodes.ShardInvalid, $"Shard '{path}' is invalid: {why}.", path));
}
