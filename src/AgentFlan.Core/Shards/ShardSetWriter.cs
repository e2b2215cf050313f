using System.Globalization;
using AgentFlan.Compilation;
using AgentFlan.Threading;

namespace AgentFlan.Shards;

/// <summary>
/// Writes a stream of rows as numbered shards (<c>shard-NNNNN.afbshard</c> and its <c>.afbmask</c>) of at most
/// <see cref="RowsPerShard"/> rows each. Rows are built in place in a shard's buffer (<see cref="ShardBuffer"/>); a full shard is written (and
/// hashed as it is written) by a writer thread while the next one fills, up to <see cref="MaxWriting"/> at once
/// (fewer when shards are large: about 64 MB of rows in flight at most), so the disk flushes overlap each other and
/// the packing. What is written, and in which order the shards are listed, does not depend on the timing.
/// <see cref="Complete"/> writes the last shard, waits for the writes and removes shards a larger earlier compile
/// left behind. Dispose it in any case: it waits for the writes in flight, so a failed compile leaves no
/// half-written temp file behind.
/// </summary>
public sealed class ShardSetWriter : IDisposable
{
    /// <summary>The most shards written at once while the next one fills.</summary>
    public const int MaxWriting = 3;

    private readonly string _directory;
    private readonly int _sequenceLength;
    private readonly int _tokenWidth;
    private readonly int _maxWriting;
    private readonly List<ShardInfo> _shards = [];
    private readonly Queue<Job> _inFlight = new();
    private readonly Handoff<Job> _jobs = new();
    private readonly List<Thread> _writers = [];
    private readonly List<Job> _segment = [];
    private ShardBuffer _filling;

    /// <summary>Every buffer made, released to the shared pool once no writer reads them (<see cref="ShardBuffer.Release"/>).</summary>
    private readonly List<ShardBuffer> _buffers = [];
    private int _started;
    private bool _disposed;
    private IReadOnlyList<ShardInfo>? _reused;
    private Task<IReadOnlyList<string>>? _reusedFiles;
    private int _reusedNext;

    public ShardSetWriter(string directory, int sequenceLength, int tokenWidth, int rowsPerShard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerShard, 1);
        _directory = directory;
        _sequenceLength = sequenceLength;
        _tokenWidth = tokenWidth;
        RowsPerShard = rowsPerShard;
        _filling = new ShardBuffer(sequenceLength, tokenWidth, rowsPerShard);
        _buffers.Add(_filling);

        // Writing a shard is mostly waiting (the flush to disk before the rename): a few at once keep the device
        // busy. Each holds a shard's rows, so fewer when shards are large.
        long shardBytes = (long)rowsPerShard * sequenceLength * tokenWidth;
        _maxWriting = (int)Math.Clamp((64L << 20) / Math.Max(1, shardBytes), 1, MaxWriting);
        Directory.CreateDirectory(directory);
    }

    public int RowsPerShard { get; }

    public int TokenWidth => _tokenWidth;

    /// <summary>The shards written so far, in order (all of them after <see cref="Complete"/>).</summary>
    public IReadOnlyList<ShardInfo> Shards => _shards;

    /// <summary>Rows written or pending.</summary>
    public long RowCount { get; private set; }

    /// <summary>False while a segment reuses token files (<see cref="ReuseTokens"/>): its rows need no token ids.</summary>
    public bool WritesTokens => _reused is null;

    /// <summary>
    /// Packs the next segment's masks only: its token files are the <paramref name="stored"/> ones an earlier compile
    /// wrote when it packed the same samples (taken into temp files beside the shards by <paramref name="files"/>).
    /// Each shard the segment fills is checked against its stored one as it is written (rows, documents, tokens and the
    /// document entries themselves); then its mask file is written and the token file renamed into place. A difference,
    /// or another number of shards at <see cref="EndSegment"/>, throws <see cref="TokenFilesMismatchException"/>.
    /// </summary>
    public void ReuseTokens(IReadOnlyList<ShardInfo> stored, Task<IReadOnlyList<string>> files)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(files);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_filling.Rows > 0)
        {
            throw new InvalidOperationException("Token files are reused for a whole segment: end the segment first.");
        }

        (_reused, _reusedFiles, _reusedNext) = (stored, files, 0);
        _filling.WithTokens = false;
    }

    public void Add(IEnumerable<PackedRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            _filling.Add(row);
            Added();
        }
    }

    /// <summary>
    /// Makes room at once for the next <paramref name="rows"/> rows (those the current shard takes): a packed window
    /// knows its row count before its first row, and growing the buffer row by row copied it up to eight times.
    /// </summary>
    internal void Reserve(int rows) => _filling.Reserve(rows);

    /// <summary>Adds one row packing <paramref name="window"/>[<paramref name="members"/>] in that order, padded with <paramref name="padToken"/>.</summary>
    internal void Add(ReadOnlySpan<byte> ids, IReadOnlyList<RowMember> window, ReadOnlySpan<int> members, int padToken)
    {
        _filling.Add(ids, window, members, padToken);
        Added();
    }

    /// <summary>
    /// Ends a segment: its last shard is handed over even when not full, so the next rows start a new shard and a
    /// segment's shards hold its rows only. Returns the segment's shards (path, and the write that gives its
    /// <see cref="ShardInfo"/>), in order.
    /// </summary>
    public IReadOnlyList<(string Path, Task<ShardInfo> Written)> EndSegment()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_filling.Rows > 0)
        {
            HandOver();
        }

        if (_reused is { } reused)
        {
            var made = _reusedNext;
            (_reused, _reusedFiles) = (null, null);
            _filling.WithTokens = true;
            if (made != reused.Count)
            {
                throw new TokenFilesMismatchException($"The segment packed {made} shards; the token files reused were {reused.Count}.");
            }
        }

        var shards = _segment.Select(job => (job.Path, job.Done.Task)).ToList();
        _segment.Clear();
        return shards;
    }

    /// <summary>
    /// Adds a shard whose files are written already (<paramref name="written"/>: temp files beside the shards, flushed
    /// to disk; <paramref name="stored"/>: its counts and hashes) as the next shard: they are renamed into place. Call
    /// between segments.
    /// </summary>
    public void AddStored(ShardInfo stored, (string Tokens, string Mask) written)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_filling.Rows > 0)
        {
            throw new InvalidOperationException("A stored shard goes between segments: end the segment first.");
        }

        var name = NameOf(_started++);
        var path = Path.Combine(_directory, name);
        MoveIntoPlace(written.Tokens, path);
        MoveIntoPlace(written.Mask, ShardFormat.MaskPathOf(path));
        var job = new Job(null, name, path);
        job.Done.SetResult(stored with { File = name, Mask = ShardFormat.MaskPathOf(name) });
        _inFlight.Enqueue(job);
        _segment.Add(job);
        RowCount += stored.Rows;
    }

    public IReadOnlyList<ShardInfo> Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_filling.Rows > 0)
        {
            HandOver();
        }

        while (_inFlight.Count > 0)
        {
            WaitOldest();
        }

        StopWriters();

        // Shards from an earlier, larger compile must not linger next to the new manifest.
        var names = _shards.SelectMany(s => new[] { s.File, s.Mask }).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.EnumerateFiles(_directory, "shard-*" + ShardFormat.Extension).Concat(Directory.EnumerateFiles(_directory, "shard-*" + ShardFormat.MaskExtension)))
        {
            if (!names.Contains(Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }

        return _shards;
    }

    /// <summary>Waits for the shards still being written and stops the writer threads (a failed write is not reported here).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopWriters();
    }

    /// <summary>Lets the writer threads finish what is queued and end; then no thread reads the buffers, which go back to the pool.</summary>
    private void StopWriters()
    {
        if (!_jobs.IsAddingCompleted)
        {
            _jobs.CompleteAdding();
        }

        foreach (var writer in _writers)
        {
            writer.Join();
        }

        _writers.Clear();
        _buffers.ForEach(buffer => buffer.Release());
        _buffers.Clear();
    }

    private void Added()
    {
        RowCount++;
        if (_filling.IsFull)
        {
            HandOver();
        }
    }

    /// <summary>Queues the filled buffer for writing; the next rows go to a new buffer, or to that of the oldest write once it is done.</summary>
    private void HandOver()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var full = _filling;
        var name = NameOf(_started++);
        ShardBuffer? reuse = null;
        while (reuse is null && _inFlight.Count >= _maxWriting)
        {
            reuse = WaitOldest();
            reuse?.Clear();
        }

        ReusedTokens? reusedTokens = null;
        if (_reused is { } stored)
        {
            if (_reusedNext == stored.Count)
            {
                throw new TokenFilesMismatchException($"The segment packs more shards than the {stored.Count} token files reused.");
            }

            reusedTokens = new ReusedTokens(stored[_reusedNext], _reusedFiles!, _reusedNext);
            _reusedNext++;
        }

        var job = new Job(full, name, Path.Combine(_directory, name)) { Reused = reusedTokens };
        _inFlight.Enqueue(job);
        _segment.Add(job);
        _jobs.Add(job);
        if (_writers.Count < _maxWriting && _writers.Count < _inFlight.Count)
        {
            // Threads of its own, not the pool's: a write blocks on the disk, and pool threads waiting there would
            // hold up the process's other work.
            var writer = new Thread(Write) { IsBackground = true, Name = "AgentFlan shard writer" };
            writer.Start();
            _writers.Add(writer);
        }

        // After a full shard, the next ones are likely full too: their buffers take a shard's rows at once.
        if (reuse is null)
        {
            reuse = new ShardBuffer(_sequenceLength, _tokenWidth, RowsPerShard, initialRows: RowsPerShard);
            _buffers.Add(reuse);
        }

        _filling = reuse;
        _filling.WithTokens = _reused is null;
    }

    /// <summary>Finishes the oldest write in flight (throwing its failure) and returns its buffer (null for a stored shard).</summary>
    private ShardBuffer? WaitOldest()
    {
        var job = _inFlight.Dequeue();
        _shards.Add(Threading.Blocking.Wait(job.Done.Task));
        return job.Buffer;
    }

    /// <summary>Renames a temp file into place.</summary>
    private static void MoveIntoPlace(string temp, string path)
    {
        File.Move(temp, path, overwrite: true);
        if (File.Exists(temp))
        {
            // Both names linked one file (the shard an earlier attempt of this compile took from the same blob): a
            // rename between two links of one file does nothing, and leaves the temp name behind.
            File.Delete(temp);
        }
    }

    private static string NameOf(int index) => string.Create(CultureInfo.InvariantCulture, $"shard-{index:D5}{ShardFormat.Extension}");

    private void Write()
    {
        foreach (var job in _jobs.Consume())
        {
            try
            {
                var buffer = job.Buffer!;
                if (job.Reused is { } reused)
                {
                    var file = Threading.Blocking.Wait(reused.Files)[reused.Index];
                    if (!SameRows(file, reused.Shard, buffer))
                    {
                        throw new TokenFilesMismatchException($"Shard {job.Name} packed other rows than the token file reused for it.");
                    }

                    var reusedMask = ShardWriter.WriteMask(ShardFormat.MaskPathOf(job.Path), buffer);
                    MoveIntoPlace(file, job.Path);
                    job.Done.SetResult(reused.Shard with { File = job.Name, SupervisedTokens = buffer.SupervisedTokens, Mask = ShardFormat.MaskPathOf(job.Name), MaskSha256 = reusedMask });
                    continue;
                }

                var (tokens, mask) = ShardWriter.Write(job.Path, buffer);
                job.Done.SetResult(new ShardInfo(job.Name, buffer.Rows, buffer.DocumentCount, buffer.Tokens, buffer.SupervisedTokens, tokens, ShardFormat.MaskPathOf(job.Name), mask));
            }
            catch (Exception e)
            {
                job.Done.SetException(e);
            }
        }
    }

    /// <summary>Whether the token file <paramref name="file"/> (described by <paramref name="stored"/>) holds the rows <paramref name="buffer"/> packed: the same counts, layout and document entries.</summary>
    private static bool SameRows(string file, ShardInfo stored, ShardBuffer buffer)
    {
        if (stored.Rows != buffer.Rows || stored.Documents != buffer.DocumentCount || stored.Tokens != buffer.Tokens)
        {
            return false;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        Span<byte> header = stackalloc byte[ShardFormat.HeaderSize];
        stream.ReadExactly(header);
        if (!header[..8].SequenceEqual(ShardFormat.Magic)
            || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != buffer.TokenWidth
            || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) != buffer.SequenceLength
            || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) != buffer.Rows
            || (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(header[24..]) != buffer.DocumentCount)
        {
            return false;
        }

        var entries = buffer.DocumentEntries;
        var inFile = new byte[entries.Length];
        stream.Position = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        stream.ReadExactly(inFile);
        return entries.SequenceEqual(inFile);
    }

    /// <summary>A shard being written from <paramref name="Buffer"/>, or (no buffer) one already written from a stored copy.</summary>
    private sealed record Job(ShardBuffer? Buffer, string Name, string Path)
    {
        public TaskCompletionSource<ShardInfo> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The stored token file the shard's rows are checked against and take, when its segment reuses token files.</summary>
        public ReusedTokens? Reused { get; init; }
    }

    /// <summary>Token file <paramref name="Index"/> of a segment's reused ones: its stored description, and the task that takes the files.</summary>
    private sealed record ReusedTokens(ShardInfo Shard, Task<IReadOnlyList<string>> Files, int Index);
}
