using System.Runtime.CompilerServices;
using AgentFlan.Threading;

namespace AgentFlan.Readers.Json;

/// <summary>
/// Reads a JSON Lines file on several threads with exactly the results of <see cref="JsonRecordScanner"/> read in
/// turn: the file is cut into blocks of whole lines, each block's lines are parsed and mapped on a worker thread, and
/// the results come back in file order. A line that is not one JSON value (a value spread over lines, two values on a
/// line, garbage, a line over the size limit) ends the parallel part: from that line on, the rest of the file is read
/// by the sequential scanner, which handles every such case, starting at that line number. A file whose first
/// significant byte is <c>[</c> (a JSON array) is read by the sequential scanner from the start, on a thread of its
/// own a few batches ahead of the consumer (<see cref="ReadAhead"/>). Whatever <c>map</c> does to a line's result
/// (the caller's own per-record work included) runs on the worker threads too.
/// </summary>
internal static class ParallelJsonLines
{
    /// <summary>
    /// Where blocks start: 128 KB, about 70 conversations of a typical corpus. Parsed blocks wait for the consumer (up to
    /// twice the workers' number), and everything they hold outlives each collection that finds it there: with 1 MB
    /// blocks a two-thread compile promoted some 2,000 conversations at every gen0 collection, which turned most of
    /// them into gen1 collections (CompileBench, docs/tokenization.md). Lines longer than a block grow it.
    /// </summary>
    public const int DefaultBlockBytes = 128 << 10;

    /// <param name="map">
    /// Maps one parsed line (called on worker threads, concurrently): the format's mapper behind the reader's rejection
    /// handling, then the caller's per-record work; null when the line is not one JSON value.
    /// </param>
    /// <param name="sequential">Reads what is left in turn: (stream positioned at a line start, its line number, whether it may be a JSON array).</param>
    /// <param name="blockBytes">The size blocks start at (tests make it small to cut lines everywhere).</param>
    public static IEnumerable<T> Read<T>(
        Stream stream,
        int threads,
        Func<ReadOnlyMemory<byte>, int, T?> map,
        Func<Stream, int, bool, IEnumerable<T>> sequential,
        int blockBytes,
        CancellationToken cancellationToken)
        where T : class
    {
        var blocks = new BlockReader(stream, blockBytes);
        var first = blocks.Next();
        if (first is null || first.Kind == Kind.Array)
        {
            // Empty, unreadable, or an array: the scanner decides everything, from the first byte.
            return ReadAhead.Of(sequential(blocks.Remaining(first is null ? [] : [first.Bytes]), 1, true), batchSize: 64);
        }

        return Parallel(blocks, first, threads, map, sequential, cancellationToken);
    }

    private static IEnumerable<T> Parallel<T>(
        BlockReader blocks,
        Block first,
        int threads,
        Func<ReadOnlyMemory<byte>, int, T?> map,
        Func<Stream, int, bool, IEnumerable<T>> sequential,
        CancellationToken cancellationToken)
        where T : class
    {
        var work = new Handoff<Pending<T>>(capacity: 2 * threads);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            foreach (var pending in work.Consume())
            {
                try
                {
                    pending.Done.SetResult(Parse(pending.Block, map));
                }
                catch (Exception e)
                {
                    pending.Done.SetException(e);
                }
            }
        })
        { IsBackground = true, Name = "AgentFlan JSON Lines reader" }).ToList();
        workers.ForEach(worker => worker.Start());

        var pending = new Queue<Pending<T>>();
        try
        {
            var next = first;
            while (next is not null || pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Keep the workers fed: up to twice their number of blocks read ahead.
                while (next is not null && pending.Count < 2 * threads)
                {
                    var added = new Pending<T>(next);
                    pending.Enqueue(added);
                    work.Add(added);
                    next = blocks.Next();
                }

                var head = pending.Dequeue();
                var block = head.Block;
                var parsed = Blocking.Wait(head.Done.Task);
                if (parsed.StopAt is null && block.Pooled is { } pooled)
                {
                    // Mapped records hold copies (a rejection's raw text was cut when it was made): the bytes can go.
                    System.Buffers.ArrayPool<byte>.Shared.Return(pooled);
                }

                foreach (var result in parsed.Results)
                {
                    yield return result;
                }

                if (parsed.StopAt is { } stop)
                {
                    // The sequential scanner takes over at that line, with every byte read so far after it.
                    var unread = new List<ReadOnlyMemory<byte>> { block.Bytes[stop.Offset..] };
                    unread.AddRange(pending.Select(p => p.Block.Bytes));
                    if (next is not null)
                    {
                        unread.Add(next.Bytes);
                    }

                    work.CompleteAdding();
                    foreach (var result in sequential(blocks.Remaining(unread), stop.Line, false))
                    {
                        yield return result;
                    }

                    yield break;
                }
            }
        }
        finally
        {
            if (!work.IsAddingCompleted)
            {
                work.CompleteAdding();
            }

            workers.ForEach(worker => worker.Join());
        }
    }

    /// <summary>Parses and maps a block's lines until one is not a JSON value on its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Parsed<T> Parse<T>(Block block, Func<ReadOnlyMemory<byte>, int, T?> map)
        where T : class
    {
        var results = new List<T>();
        if (block.Kind == Kind.Oversized)
        {
            return new Parsed<T>(results, (0, block.FirstLine));
        }

        var bytes = block.Bytes;
        var span = bytes.Span;
        int line = block.FirstLine, position = 0;
        while (true)
        {
            var start = span[position..].IndexOfAnyExcept(" \t\r\n"u8);
            if (start < 0)
            {
                return new Parsed<T>(results, null);
            }

            line += span.Slice(position, start).Count((byte)'\n');
            position += start;
            var newline = span[position..].IndexOf((byte)'\n');
            var end = newline < 0 ? span.Length : position + newline;
            if (map(bytes[position..end], line) is not { } result)
            {
                return new Parsed<T>(results, (position, line));
            }

            results.Add(result);
            position = end;
        }
    }

    private sealed record Parsed<T>(List<T> Results, (int Offset, int Line)? StopAt);

    /// <summary>A block given to the workers, and its results once parsed.</summary>
    private sealed record Pending<T>(Block Block)
    {
        public TaskCompletionSource<Parsed<T>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private enum Kind
    {
        /// <summary>Whole lines (the last one may lack its newline).</summary>
        Lines,

        /// <summary>The file's first bytes, which open a JSON array.</summary>
        Array,

        /// <summary>Part of a line longer than the largest block.</summary>
        Oversized,
    }

    /// <summary>Bytes of the file and the line number of the first.</summary>
    private sealed class Block(ReadOnlyMemory<byte> bytes, int firstLine, Kind kind)
    {
        /// <summary>The rented array behind <see cref="Bytes"/>, returned once the block's results are out (nothing they hold points into it).</summary>
        public byte[]? Pooled { get; init; }

        public ReadOnlyMemory<byte> Bytes { get; } = bytes;

        public int FirstLine { get; } = firstLine;

        public Kind Kind { get; } = kind;
    }

    /// <summary>
    /// Cuts the stream into blocks that end after a newline (or at the end of the file). A line longer than the
    /// largest block ends the cutting with an oversized block, which the sequential scanner reads.
    /// </summary>
    private sealed class BlockReader(Stream stream, int blockBytes)
    {
        private byte[] _carry = [];
        private int _line = 1;
        private bool _first = true;
        private bool _cut;
        private int _bom;
        private bool _done;

        public Block? Next()
        {
            if (_done)
            {
                return null;
            }

            // Pooled: a large file is a long run of blocks, each large enough for the large-object heap, where garbage
            // waits for a full collection (a million conversations read with fresh blocks peaked at 680 MB).
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(blockBytes, _carry.Length * 2));
            _carry.CopyTo(buffer, 0);
            int filled = _carry.Length;
            _carry = [];
            while (true)
            {
                var eof = false;
                if (filled < buffer.Length)
                {
                    var read = stream.Read(buffer, filled, buffer.Length - filled);
                    eof = read == 0;
                    filled += read;
                }

                var span = buffer.AsSpan(0, filled);
                if (!_cut && span.StartsWith("\uFEFF"u8))
                {
                    // A byte order mark at the very start is not part of the first line (the scanner skips it too).
                    _bom = 3;
                }

                if (_first)
                {
                    var skip = _cut ? 0 : _bom;
                    var at = span[skip..].IndexOfAnyExcept(" \t\r\n"u8);
                    if (at >= 0)
                    {
                        _first = false;
                        if (span[skip + at] == (byte)'[')
                        {
                            _done = true;
                            return new Block(buffer.AsMemory(0, filled), 1, Kind.Array);
                        }
                    }
                }

                if (eof)
                {
                    _done = true;
                    return filled == 0 ? null : Cut(buffer, filled, Kind.Lines);
                }

                if (filled < buffer.Length)
                {
                    continue;
                }

                var lastNewline = span.LastIndexOf((byte)'\n');
                if (lastNewline >= 0)
                {
                    _carry = span[(lastNewline + 1)..].ToArray();
                    return Cut(buffer, lastNewline + 1, Kind.Lines);
                }

                if (buffer.Length >= ReaderLimits.MaxRecordBytes)
                {
                    // One line fills the largest block: the sequential scanner reports it.
                    _done = true;
                    return Cut(buffer, filled, Kind.Oversized);
                }

                var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, ReaderLimits.MaxRecordBytes));
                buffer.AsSpan(0, filled).CopyTo(larger);
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
        }

        /// <summary>The stream from where the blocks stopped: <paramref name="unread"/> first, then what was not cut yet.</summary>
        public ConcatenatedStream Remaining(IEnumerable<ReadOnlyMemory<byte>> unread) =>
            new ConcatenatedStream([.. unread, _carry], stream);

        private Block Cut(byte[] buffer, int length, Kind kind)
        {
            var skip = _cut ? 0 : _bom;
            var block = new Block(buffer.AsMemory(skip, length - skip), _line, kind) { Pooled = buffer };
            _cut = true;
            _line += buffer.AsSpan(0, length).Count((byte)'\n');
            return block;
        }
    }

    /// <summary>Bytes already read, then the rest of a stream.</summary>
    private sealed class ConcatenatedStream(ReadOnlyMemory<byte>[] parts, Stream rest) : Stream
    {
        private int _index;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_index < parts.Length)
            {
                var part = parts[_index];
                if (part.Length == 0)
                {
                    _index++;
                    continue;
                }

                var n = Math.Min(part.Length, buffer.Length);
                part.Span[..n].CopyTo(buffer);
                parts[_index] = part[n..];
                return n;
            }

            return rest.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
