using System.Buffers;
using System.Text;
using System.Text.Json;
using AgentFlan.Hashing;

namespace AgentFlan.Caching;

/// <summary>
/// Remembers the SHA-256 of input files by (full path, length, last write time), as git's index does, so a compile
/// whose sources did not change knows their hashes (for the samples stage key) without reading them. It lives in
/// the stage cache's folder (<see cref="Folder"/>); losing or damaging it costs only a re-read.
/// <para>
/// A remembered hash is trusted only when the file's last write time was at least <see cref="RacyWindow"/> older
/// than the moment its hashing began. A file written just before it was hashed could be written again within its
/// file system's timestamp granularity, keeping its length and time but not its content (git's "racy clean"
/// files); such an entry is hashed again each time until its write time is old enough. A file whose content is
/// changed with its length kept and its write time set back on purpose is not detected, as with git.
/// </para>
/// </summary>
public sealed class FileHashMemo
{
    /// <summary>The folder under the cache root.</summary>
    public const string Folder = "file-hashes";

    /// <summary>How much older than its hashing a file's write time must be for the hash to be reused (coarse file system timestamps: FAT 2 s).</summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private const string FileName = "memo.json";
    private const int Version = 1;

    /// <summary>Entries kept at most (the most recently hashed), so the memo cannot grow without bound.</summary>
    private const int MaxEntries = 100_000;

    private readonly string _path;
    private readonly Func<DateTime> _utcNow;
    private readonly Dictionary<string, Entry> _entries;
    private readonly Dictionary<string, Entry> _recorded = new(StringComparer.Ordinal);

    /// <param name="cacheRoot">The stage cache's root folder.</param>
    /// <param name="utcNow">The clock (for tests); the system's UTC time by default.</param>
    public FileHashMemo(string cacheRoot, Func<DateTime>? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(cacheRoot);
        _path = Path.Combine(cacheRoot, Folder, FileName);
        _utcNow = utcNow ?? (() => DateTime.UtcNow);
        _entries = Load(_path);
    }

    /// <summary>Hashes taken from the memo so far.</summary>
    public int Hits { get; private set; }

    /// <summary>Files read and hashed so far.</summary>
    public int Misses { get; private set; }

    /// <summary>
    /// The SHA-256 of <paramref name="path"/> (lowercase hex), from the memo when it can be trusted, else read and
    /// remembered. Safe from several threads (files are read outside the lock).
    /// </summary>
    public string Sha256(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        long length = info.Length, written = info.LastWriteTimeUtc.Ticks;
        lock (_entries)
        {
            if (_entries.TryGetValue(full, out var known) && known.Length == length && known.Written == written && IsSettled(known))
            {
                Hits++;
                return known.Sha256;
            }
        }

        // The time is taken before the file is read: a write during the read makes the entry untrusted next time.
        var hashedAt = _utcNow().Ticks;
        var sha256 = ContentHash.OfFile(full);
        var entry = new Entry(length, written, hashedAt, sha256);
        lock (_entries)
        {
            _entries[full] = entry;
            _recorded[full] = entry;
            Misses++;
        }

        return sha256;
    }

    /// <summary>Writes what was hashed into the memo file (merged with what other builds wrote meanwhile); does nothing when nothing was.</summary>
    public void Save()
    {
        if (_recorded.Count == 0)
        {
            return;
        }

        var entries = Load(_path);
        foreach (var (path, entry) in _recorded)
        {
            entries[path] = entry;
        }

        var kept = entries.OrderByDescending(e => e.Value.HashedAt).ThenBy(e => e.Key, StringComparer.Ordinal).Take(MaxEntries).OrderBy(e => e.Key, StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteStartArray("files");
            foreach (var (path, entry) in kept)
            {
                json.WriteStartObject();
                json.WriteString("path", path);
                json.WriteNumber("length", entry.Length);
                json.WriteNumber("written", entry.Written);
                json.WriteNumber("hashed_at", entry.HashedAt);
                json.WriteString("sha256", entry.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        // A memo, not an output: a temp file renamed into place (a reader sees the old or the new one), no flush to disk.
        var directory = Path.GetDirectoryName(_path)!;
        var temp = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(temp, buffer.WrittenSpan.ToArray());
            File.Move(temp, _path, overwrite: true);
        }
        catch (IOException)
        {
            // Another build is saving it at the same moment, or the folder is read-only: the next build hashes again.
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        _recorded.Clear();
    }

    private static bool IsSettled(Entry entry) => entry.Written <= entry.HashedAt - RacyWindow.Ticks;

    /// <summary>The memo file's entries; none when it is missing or damaged.</summary>
    private static Dictionary<string, Entry> Load(string path)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return entries;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != Version
                || !root.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                return entries;
            }

            foreach (var file in files.EnumerateArray())
            {
                var sha256 = file.GetProperty("sha256").GetString();
                var filePath = file.GetProperty("path").GetString();
                if (filePath is null || sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
                {
                    continue;
                }

                entries[filePath] = new Entry(file.GetProperty("length").GetInt64(), file.GetProperty("written").GetInt64(), file.GetProperty("hashed_at").GetInt64(), sha256);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or DecoderFallbackException)
        {
            entries.Clear();
        }

        return entries;
    }

    /// <param name="Written">The file's last write time (UTC ticks) when it was hashed.</param>
    /// <param name="HashedAt">When hashing began (UTC ticks).</param>
    private sealed record Entry(long Length, long Written, long HashedAt, string Sha256);
}
