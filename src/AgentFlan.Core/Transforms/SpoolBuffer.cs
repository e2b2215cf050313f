using System.Buffers;

namespace AgentFlan.Transforms;

/// <summary>
/// The <see cref="ConversationSpool"/>'s store: bytes appended in memory in 1 MB chunks (no copy as it grows, and
/// large arrays the garbage collector never moves) until <see cref="Spill"/> moves them to a file that takes every
/// later byte; read back from any offset by streams of their own. The chunks come from the shared pool and go back to
/// it when the spool is disposed in memory (no stream reads them then), so a process compiling again reuses them:
/// fresh 1 MB arrays are large-object-heap allocations, and those start full collections.
/// </summary>
internal sealed class SpoolBuffer : Stream
{
    private const int ChunkSize = 1 << 20;
    private readonly List<byte[]> _chunks = [];
    private long _length;
    private FileStream? _file;

    /// <summary>The file the bytes went to; null while they are in memory.</summary>
    public string? SpillPath { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_file is not null)
        {
            _file.Write(buffer);
            _length += buffer.Length;
            return;
        }

        while (!buffer.IsEmpty)
        {
            int at = (int)(_length % ChunkSize);
            if (at == 0 && _length / ChunkSize == _chunks.Count)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            }

            int n = Math.Min(buffer.Length, ChunkSize - at);
            buffer[..n].CopyTo(_chunks[(int)(_length / ChunkSize)].AsSpan(at));
            buffer = buffer[n..];
            _length += n;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Moves the bytes to a new file at <paramref name="path"/>, which takes every later byte too.</summary>
    public void Spill(string path)
    {
        if (_file is not null)
        {
            throw new InvalidOperationException("The spool is in a file already.");
        }

        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 16);
        SpillPath = path;
        for (long at = 0; at < _length; at += ChunkSize)
        {
            _file.Write(_chunks[(int)(at / ChunkSize)].AsSpan(0, (int)Math.Min(ChunkSize, _length - at)));
        }

        // Left to the collector, not the pool: a spool spills at its budget (64 MB by default), which the pool would
        // then hold for the rest of the compile (1M conversations peaked at 432 MB instead of 360).
        _chunks.Clear();
    }

    /// <summary>A stream over what is written now, from <paramref name="offset"/> on.</summary>
    public Stream OpenRead(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, _length);
        if (_file is not null)
        {
            _file.Flush();
            return new FileStream(SpillPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16) { Position = offset };
        }

        return new Reader(this, offset, _length);
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            ReturnChunks();
        }

        base.Dispose(disposing);
    }

    public override void Flush() => _file?.Flush();

    private void ReturnChunks()
    {
        _chunks.ForEach(chunk => ArrayPool<byte>.Shared.Return(chunk));
        _chunks.Clear();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    private sealed class Reader(SpoolBuffer buffer, long position, long end) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => end;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] destination, int offset, int count) => Read(destination.AsSpan(offset, count));

        public override int Read(Span<byte> destination)
        {
            int at = (int)(position % ChunkSize);
            int n = (int)Math.Min(Math.Min(destination.Length, ChunkSize - at), end - position);
            if (n <= 0)
            {
                return 0;
            }

            buffer._chunks[(int)(position / ChunkSize)].AsSpan(at, n).CopyTo(destination);
            position += n;
            return n;
        }

        public override int ReadByte()
        {
            if (position >= end)
            {
                return -1;
            }

            var value = buffer._chunks[(int)(position / ChunkSize)][(int)(position % ChunkSize)];
            position++;
            return value;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
