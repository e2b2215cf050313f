using System.Buffers.Binary;
using System.Security.Cryptography;
using AgentFlan.Diagnostics;

namespace AgentFlan.Caching;

/// <summary>
/// A content-addressed store of stage outputs. An entry is a file named by its key (a hash of the stage's
/// inputs' keys, its parameters and its code version) holding a small header (magic, payload length, payload
/// checksum: XXH128, which detects damage as surely as a cryptographic hash stored beside the data would, at a tenth
/// of the CPU — the cache's own reads and writes spent more time in SHA-256 than in anything else of ours on a weight
/// change) and the payload. It is written to a unique temp file, flushed and renamed into place, so a reader
/// sees a complete entry or none, a killed build leaves only a temp file (never an entry that looks valid), and
/// two builds that publish the same key at once both succeed with identical bytes (last rename wins).
/// Every read verifies length and hash; a damaged entry is deleted and reported as a miss (AFB3001).
/// Keys never contain paths, times or machine names, so a moved clone or another recipe hits the same entries.
/// </summary>
public sealed class StageCache
{
    private const int HeaderSize = 48;
    private const int ChecksumSize = 16;
    private static ReadOnlySpan<byte> Magic => "AFBCACH2"u8;

    /// <summary>The first format (SHA-256 payload hash): an entry in it is a miss, removed without a warning.</summary>
    private static ReadOnlySpan<byte> FormerMagic => "AFBCACH1"u8;

    public StageCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Damaged entries found (and removed) by reads so far, for the build log.</summary>
    public List<Diagnostic> Warnings { get; } = [];

    public bool TryGet(string stage, string key, out byte[] payload)
    {
        payload = [];
        using var stream = OpenRead(stage, key);
        if (stream is null)
        {
            return false;
        }

        payload = new byte[stream.Length - HeaderSize];
        stream.ReadExactly(payload);
        return true;
    }

    public void Put(string stage, string key, ReadOnlySpan<byte> payload)
    {
        using var entry = BeginPut(stage, key);
        entry.Payload.Write(payload);
        entry.Commit();
    }

    /// <summary>
    /// Opens an entry for reading after checking its length and hash (one streaming pass over the file);
    /// null when there is none or it is damaged (then it is deleted and reported in <see cref="Warnings"/>).
    /// The stream is positioned at the payload's first byte.
    /// </summary>
    public Stream? OpenRead(string stage, string key)
    {
        var path = PathOf(stage, key);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var valid = false;
        try
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            if (stream.Length >= HeaderSize && stream.Read(header) == HeaderSize && header[..8].SequenceEqual(Magic)
                && BinaryPrimitives.ReadInt64LittleEndian(header[8..]) == stream.Length - HeaderSize)
            {
                var checksum = new System.IO.Hashing.XxHash128();
                checksum.Append(stream);
                Span<byte> hash = stackalloc byte[ChecksumSize];
                checksum.GetCurrentHash(hash);
                valid = hash.SequenceEqual(header.Slice(16, ChecksumSize));
            }
            else if (header[..8].SequenceEqual(FormerMagic))
            {
                // Written before the checksum changed: not damage, nothing to report.
                stream.Dispose();
                TryDelete(path);
                return null;
            }

            if (valid)
            {
                stream.Position = HeaderSize;
                return stream;
            }
        }
        finally
        {
            if (!valid)
            {
                stream.Dispose();
            }
        }

        Reject(path);
        return null;
    }

    /// <summary>
    /// Opens an entry to be read once, front to back, without reading it first: its hash is computed from the
    /// bytes as they are read and checked by <see cref="EntryStream.Verify"/> at the end, so a large entry is
    /// read from disk once instead of twice. Null when there is none, or when its header or length is wrong (then
    /// it is deleted and reported in <see cref="Warnings"/>). The caller must not publish anything it derived
    /// from the payload before <see cref="EntryStream.Verify"/> returned; a mismatch deletes the entry, reports it
    /// and throws <see cref="CacheEntryDamagedException"/>.
    /// </summary>
    public EntryStream? OpenStreaming(string stage, string key)
    {
        var path = PathOf(stage, key);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        if (stream.Length >= HeaderSize && stream.Read(header) == HeaderSize && header[..8].SequenceEqual(Magic)
            && BinaryPrimitives.ReadInt64LittleEndian(header[8..]) == stream.Length - HeaderSize)
        {
            return new EntryStream(this, path, stream, header.Slice(16, ChecksumSize).ToArray());
        }

        stream.Dispose();
        if (header[..8].SequenceEqual(FormerMagic))
        {
            TryDelete(path);
        }
        else
        {
            Reject(path);
        }

        return null;
    }

    /// <summary>Reports a damaged entry and deletes it, so the next build rebuilds it.</summary>
    private void Reject(string path)
    {
        // Stages read entries from several threads (the memo's packs, the examinations): one warning at a time.
        lock (Warnings)
        {
            Warnings.Add(Diagnostic.Warning(DiagnosticCodes.CacheEntryCorrupt, $"Cache entry '{path}' failed its integrity check; it was removed and is rebuilt.", path));
        }
        TryDelete(path);
    }

    /// <summary>
    /// An entry's payload read once, front to back, through a buffer of its own (so no buffering stream is needed
    /// on top), each block hashed as it comes from the file; see <see cref="OpenStreaming"/>.
    /// </summary>
    public sealed class EntryStream : Stream
    {
        private const int BufferSize = 1 << 20;

        private readonly StageCache _cache;
        private readonly string _path;
        private readonly FileStream _file;
        private readonly byte[] _expected;
        private readonly System.IO.Hashing.XxHash128 _hash = new();
        private byte[] _buffer = [];
        private int _buffered;
        private int _used;
        private long _read;
        private long _position;
        private bool _disposed;
        private bool? _intact;
        private bool _rejected;

        internal EntryStream(StageCache cache, string path, FileStream file, byte[] expected)
        {
            _cache = cache;
            _path = path;
            _file = file;
            _expected = expected;
            PayloadLength = file.Length - HeaderSize;
        }

        public long PayloadLength { get; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => PayloadLength;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_used == _buffered)
            {
                if (buffer.Length >= BufferSize)
                {
                    // A large read goes straight into the caller's memory (hashed all the same).
                    int direct = FromFile(buffer);
                    _position += direct;
                    return direct;
                }

                if (_buffer.Length == 0)
                {
                    _buffer = new byte[(int)Math.Min(BufferSize, Math.Max(1, PayloadLength))];
                }

                _buffered = FromFile(_buffer);
                _used = 0;
            }

            int count = Math.Min(buffer.Length, _buffered - _used);
            _buffer.AsSpan(_used, count).CopyTo(buffer);
            _used += count;
            _position += count;
            return count;
        }

        public override int ReadByte()
        {
            if (_used < _buffered)
            {
                _position++;
                return _buffer[_used++];
            }

            Span<byte> one = stackalloc byte[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        /// <summary>Reads the next bytes of the payload from the file into <paramref name="destination"/> and hashes them.</summary>
        private int FromFile(Span<byte> destination)
        {
            int read = _file.Read(destination[..(int)Math.Min(destination.Length, PayloadLength - _read)]);
            _hash.Append(destination[..read]);
            _read += read;
            return read;
        }

        /// <summary>
        /// Reads payload bytes at <paramref name="offset"/> without moving the stream or hashing them (they are
        /// hashed when the stream passes them): for a part the reader needs first and checks on its own.
        /// </summary>
        public void ReadAt(long offset, Span<byte> destination)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            if (offset > PayloadLength - destination.Length)
            {
                throw new EndOfStreamException($"Cache entry '{_path}' is shorter than its contents say.");
            }

            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(_file.SafeFileHandle, destination, HeaderSize + offset);
                if (read == 0)
                {
                    throw new EndOfStreamException($"Cache entry '{_path}' is shorter than its contents say.");
                }

                destination = destination[read..];
                offset += read;
            }
        }

        /// <summary>
        /// Reads the rest of the payload (what was not read yet) and checks the hash of all of it; on a mismatch see
        /// <see cref="Damaged"/>. Checking again gives the same answer.
        /// </summary>
        /// <exception cref="CacheEntryDamagedException">The payload is not what was written.</exception>
        public void Verify()
        {
            if (!IsIntact())
            {
                throw CacheEntryDamagedException.For(_path, null);
            }
        }

        /// <summary>Like <see cref="Verify"/>, without throwing: false for a damaged entry (deleted and reported once).</summary>
        public bool IsIntact()
        {
            if (_intact is { } known)
            {
                return known;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            var rest = new byte[1 << 16];
            while (FromFile(rest) > 0)
            {
            }

            Span<byte> hash = stackalloc byte[ChecksumSize];
            _hash.GetHashAndReset(hash);
            _intact = hash.SequenceEqual(_expected);
            if (_intact == false)
            {
                Damaged();
            }

            return _intact.Value;
        }

        /// <summary>Closes the entry, deletes and reports it (AFB3001), and returns the exception to throw.</summary>
        public CacheEntryDamagedException Damaged(Exception? cause = null)
        {
            if (!_rejected)
            {
                _rejected = true;
                _intact = false;
                Dispose();
                _cache.Reject(_path);
            }

            return CacheEntryDamagedException.For(_path, cause);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _file.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Starts writing an entry: the payload streams to a temp file in the entry's folder and only
    /// <see cref="EntryWriter.Commit"/> publishes it (header written, flushed, renamed into place). Disposing
    /// without committing deletes the temp file, so a failed or killed compile never leaves an entry.
    /// </summary>
    public EntryWriter BeginPut(string stage, string key)
    {
        var path = PathOf(stage, key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        return new EntryWriter(path, Path.Combine(directory, $".{key}.{Guid.NewGuid():N}.tmp"));
    }

    /// <summary>An entry being written; see <see cref="BeginPut"/>.</summary>
    public sealed class EntryWriter : IDisposable
    {
        private readonly string _path;
        private readonly string _temp;
        private readonly FileStream _file;
        private readonly HashingStream _payload;
        private bool _done;

        internal EntryWriter(string path, string temp)
        {
            _path = path;
            _temp = temp;
            _file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            _file.Write(new byte[HeaderSize]);
            _payload = new HashingStream(_file);
        }

        /// <summary>Write the payload here.</summary>
        public Stream Payload => _payload;

        public void Commit()
        {
            ObjectDisposedException.ThrowIf(_done, this);
            Span<byte> header = stackalloc byte[HeaderSize];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], _payload.Length);
            _payload.Hash(header.Slice(16, ChecksumSize));
            _file.Position = 0;
            _file.Write(header);
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            File.Move(_temp, _path, overwrite: true);
            _done = true;
        }

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                _file.Dispose();
                TryDelete(_temp);
            }
        }
    }

    /// <summary>A write-only stream that checksums what passes through it on its way to the file.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly System.IO.Hashing.XxHash128 _hash = new();
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public void Hash(Span<byte> destination) => _hash.GetHashAndReset(destination);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.Append(buffer);
            inner.Write(buffer);
            _length += buffer.Length;
        }

        /// <summary>Nothing to do: the entry flushes the file to disk when it commits.</summary>
        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Whether an entry exists (not verified: a damaged one is found and rebuilt when read).</summary>
    public bool Contains(string stage, string key) => File.Exists(PathOf(stage, key));

    /// <summary>Entries and bytes per stage.</summary>
    public IReadOnlyList<(string Stage, int Entries, long Bytes)> Usage()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(Root)
            .Order(StringComparer.Ordinal)
            .Select(d =>
            {
                var files = Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
                return (Path.GetFileName(d), files.Count, files.Sum(f => new FileInfo(f).Length));
            })];
    }

    /// <summary>Removes entries not used (read or written) for <paramref name="unusedFor"/>, and stray temp files older than an hour.</summary>
    public (int Entries, long Bytes) Prune(TimeSpan unusedFor)
    {
        if (!Directory.Exists(Root))
        {
            return (0, 0);
        }

        int entries = 0;
        long bytes = 0;
        var now = DateTime.UtcNow;
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).ToList())
        {
            var info = new FileInfo(file);
            var isTemp = info.Name.StartsWith('.');
            var idle = now - Max(info.LastWriteTimeUtc, info.LastAccessTimeUtc);
            if ((isTemp && idle > TimeSpan.FromHours(1)) || (!isTemp && idle > unusedFor))
            {
                bytes += info.Length;
                entries += isTemp ? 0 : 1;
                TryDelete(file);
            }
        }

        return (entries, bytes);
    }

    /// <summary>
    /// Keeps <paramref name="file"/> as a blob: a file stored as it is (no header), named by the SHA-256 of its bytes
    /// (<paramref name="sha256"/>, which the caller computed when it wrote them), hard-linked when the file system allows
    /// (no copy: the shards a compile wrote are kept at no cost) and copied otherwise. Its XXH128 is kept beside it, in
    /// stage <c>&lt;stage&gt;-checks</c>, so that taking it checks its bytes at the cost of the cache's own checksums
    /// rather than SHA-256's (a tenth of it). A blob already there is touched.
    /// </summary>
    public void PutBlob(string stage, string sha256, string file)
    {
        var path = PathOf(stage, sha256);
        if (File.Exists(path))
        {
            Touch(stage, sha256);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        IO.HardLink.LinkOrCopy(file, path);
        Put(ChecksStage(stage), sha256, Checksum(path));
    }

    /// <summary>
    /// Creates <paramref name="destination"/> (which must not exist) with the blob's bytes — linked, or copied and
    /// flushed to disk — once they are checked: against the XXH128 kept when it was stored, or (none kept) against its
    /// name. False when the blob is gone, or damaged (then deleted and reported in <see cref="Warnings"/>).
    /// </summary>
    public bool TryGetBlob(string stage, string sha256, string destination)
    {
        var path = PathOf(stage, sha256);
        try
        {
            bool intact;
            if (TryGet(ChecksStage(stage), sha256, out var check) && check.Length == 16)
            {
                intact = Checksum(path).AsSpan().SequenceEqual(check);
            }
            else
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan))
                {
                    intact = Convert.ToHexStringLower(SHA256.HashData(stream)).Equals(sha256, StringComparison.Ordinal);
                }

                if (intact)
                {
                    Put(ChecksStage(stage), sha256, Checksum(path));
                }
            }

            if (!intact)
            {
                Reject(path);
                Remove(ChecksStage(stage), sha256);
                return false;
            }

            if (!IO.HardLink.TryCreate(path, destination))
            {
                using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
                using var copy = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                source.CopyTo(copy);
                copy.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        Touch(stage, sha256);
        return true;
    }

    private static string ChecksStage(string stage) => stage + "-checks";

    /// <summary>The XXH128 of a file's bytes.</summary>
    private static byte[] Checksum(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        var hash = new System.IO.Hashing.XxHash128();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Removes an entry that cannot serve (one of its blobs is gone or damaged), without a warning of its own.</summary>
    public void Remove(string stage, string key) => TryDelete(PathOf(stage, key));

    /// <summary>Marks an entry as used now, so pruning by age keeps what builds still read.</summary>
    public void Touch(string stage, string key)
    {
        try
        {
            File.SetLastAccessTimeUtc(PathOf(stage, key), DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
    }

    private string PathOf(string stage, string key)
    {
        if (key.Length < 8 || !key.All(char.IsAsciiHexDigitLower) || !stage.All(c => char.IsAsciiLetterLower(c) || c == '-'))
        {
            throw new ArgumentException($"Invalid cache address {stage}/{key}.");
        }

        return Path.Combine(Root, stage, key[..2], key);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
