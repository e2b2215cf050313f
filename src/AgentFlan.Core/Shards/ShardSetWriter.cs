using System.Globalization;
using AgentFlan.Compilation;
using AgentFlan.Hashing;

namespace AgentFlan.Shards;

/// <summary>
/// Writes a stream of rows as numbered shards (<c>shard-NNNNN.afbshard</c>) of at most
/// <see cref="RowsPerShard"/> rows each, holding one shard's rows in memory at a time.
/// <see cref="Complete"/> writes the last shard and removes shards a larger earlier compile left behind.
/// </summary>
public sealed class ShardSetWriter
{
    private readonly string _directory;
    private readonly int _sequenceLength;
    private readonly int _tokenWidth;
    private readonly int _rowsPerShard;
    private readonly List<PackedRow> _pending = [];
    private readonly List<ShardInfo> _shards = [];

    public ShardSetWriter(string directory, int sequenceLength, int tokenWidth, int rowsPerShard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerShard, 1);
        _directory = directory;
        _sequenceLength = sequenceLength;
        _tokenWidth = tokenWidth;
        _rowsPerShard = rowsPerShard;
        Directory.CreateDirectory(directory);
    }

    public IReadOnlyList<ShardInfo> Shards => _shards;

    /// <summary>Rows written or pending.</summary>
    public long RowCount { get; private set; }

    public void Add(IEnumerable<PackedRow> rows)
    {
        foreach (var row in rows)
        {
            _pending.Add(row);
            RowCount++;
            if (_pending.Count == _rowsPerShard)
            {
                WritePending();
            }
        }
    }

    public IReadOnlyList<ShardInfo> Complete()
    {
        if (_pending.Count > 0)
        {
            WritePending();
        }

        // Shards from an earlier, larger compile must not linger next to the new manifest.
        var names = _shards.Select(s => s.File).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.EnumerateFiles(_directory, "shard-*" + ShardFormat.Extension))
        {
            if (!names.Contains(Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }

        return _shards;
    }

    private void WritePending()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"shard-{_shards.Count:D5}{ShardFormat.Extension}");
        var path = Path.Combine(_directory, name);
        ShardWriter.Write(path, _sequenceLength, _tokenWidth, _pending);
        long documents = 0, tokens = 0, supervised = 0;
        foreach (var row in _pending)
        {
            documents += row.Documents.Count;
            foreach (var document in row.Documents)
            {
                tokens += document.Length;
            }

            supervised += row.Loss.Length - row.Loss.AsSpan().Count((byte)0);
        }

        _shards.Add(new ShardInfo(name, _pending.Count, documents, tokens, supervised, ContentHash.OfFile(path)));
        _pending.Clear();
    }
}
