using System.Globalization;
using AgentFlan.Compilation;
using AgentFlan.Tokenization;

namespace AgentFlan.Shards;

/// <summary>
/// Writes a stream of rows as numbered shards (<c>shard-NNNNN.afbshard</c>) of at most
/// <see cref="RowsPerShard"/> rows each. Rows are built in place in a shard's buffer (<see cref="ShardBuffer"/>);
/// a full shard is written (and hashed as it is written) on a background task while the next one fills, so at
/// most two shards' rows are in memory. <see cref="Complete"/> writes the last shard, waits for the writes and
/// removes shards a larger earlier compile left behind. Dispose it in any case: it waits for a write in flight,
/// so a failed compile leaves no half-written temp file behind.
/// </summary>
public sealed class ShardSetWriter : IDisposable
{
    private readonly string _directory;
    private readonly int _sequenceLength;
    private readonly int _tokenWidth;
    private readonly int _rowsPerShard;
    private readonly List<ShardInfo> _shards = [];
    private ShardBuffer _filling;
    private (Task<ShardInfo> Write, ShardBuffer Buffer)? _writing;
    private int _started;

    public ShardSetWriter(string directory, int sequenceLength, int tokenWidth, int rowsPerShard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerShard, 1);
        _directory = directory;
        _sequenceLength = sequenceLength;
        _tokenWidth = tokenWidth;
        _rowsPerShard = rowsPerShard;
        _filling = new ShardBuffer(sequenceLength, tokenWidth, rowsPerShard);
        Directory.CreateDirectory(directory);
    }

    public int RowsPerShard => _rowsPerShard;

    /// <summary>The shards written so far (complete after <see cref="Complete"/>).</summary>
    public IReadOnlyList<ShardInfo> Shards => _shards;

    /// <summary>Rows written or pending.</summary>
    public long RowCount { get; private set; }

    public void Add(IEnumerable<PackedRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            _filling.Add(row);
            Added();
        }
    }

    /// <summary>Adds one row packing <paramref name="samples"/>[<paramref name="members"/>] in that order, padded with <paramref name="padToken"/>.</summary>
    public void Add(IReadOnlyList<SampleView> samples, IReadOnlyList<int> members, int padToken)
    {
        _filling.Add(samples, members, padToken);
        Added();
    }

    public IReadOnlyList<ShardInfo> Complete()
    {
        if (_filling.Rows > 0)
        {
            HandOver();
        }

        Wait();

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

    /// <summary>Waits for a shard still being written (its failure is not reported: the compile is failing already).</summary>
    public void Dispose()
    {
        if (_writing is { } writing)
        {
            _writing = null;
            try
            {
                writing.Write.Wait();
            }
            catch (AggregateException)
            {
            }
        }
    }

    private void Added()
    {
        RowCount++;
        if (_filling.IsFull)
        {
            HandOver();
        }
    }

    /// <summary>Starts writing the filled buffer; the next rows go to the buffer of the shard written before it.</summary>
    private void HandOver()
    {
        var full = _filling;
        var name = string.Create(CultureInfo.InvariantCulture, $"shard-{_started++:D5}{ShardFormat.Extension}");
        var reuse = Wait();
        reuse?.Clear();
        _filling = reuse ?? new ShardBuffer(_sequenceLength, _tokenWidth, _rowsPerShard);
        var path = Path.Combine(_directory, name);
        _writing = (Task.Run(() => new ShardInfo(name, full.Rows, full.DocumentCount, full.Tokens, full.SupervisedTokens, ShardWriter.Write(path, full))), full);
    }

    /// <summary>Finishes the write in flight, if any, and returns its buffer.</summary>
    private ShardBuffer? Wait()
    {
        if (_writing is not { } writing)
        {
            return null;
        }

        _writing = null;
        _shards.Add(writing.Write.GetAwaiter().GetResult());
        return writing.Buffer;
    }
}
