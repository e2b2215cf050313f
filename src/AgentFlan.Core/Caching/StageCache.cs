using System.Buffers.Binary;
using System.Security.Cryptography;
using AgentFlan.Diagnostics;

namespace AgentFlan.Caching;

/// <summary>
/// A content-addressed store of stage outputs. An entry is a file named by its key (a hash of the stage's
/// inputs' keys, its parameters and its code version) holding a small header (magic, payload length, payload
/// SHA-256) and the payload. It is written to a unique temp file, flushed and renamed into place, so a reader
/// sees a complete entry or none, a killed build leaves only a temp file (never an entry that looks valid), and
/// two builds that publish the same key at once both succeed with identical bytes (last rename wins).
/// Every read verifies length and hash; a damaged entry is deleted and reported as a miss (AFB3001).
/// Keys never contain paths, times or machine names, so a moved clone or another recipe hits the same entries.
/// </summary>
public sealed class StageCache
{
    private const int HeaderSize = 48;
    private static ReadOnlySpan<byte> Magic => "AFBCACH1"u8;

    public StageCache(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Damaged entries found (and removed) by reads so far, for the build log.</summary>
    public List<Diagnostic> Warnings { get; } = [];

    public bool TryGet(string stage, string key, out byte[] payload)
    {
        var path = PathOf(stage, key);
        payload = [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }

        if (bytes.Length < HeaderSize
            || !bytes.AsSpan(0, 8).SequenceEqual(Magic)
            || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) != bytes.Length - HeaderSize
            || !SHA256.HashData(bytes.AsSpan(HeaderSize)).AsSpan().SequenceEqual(bytes.AsSpan(16, 32)))
        {
            Warnings.Add(Diagnostic.Warning(DiagnosticCodes.CacheEntryCorrupt, $"Cache entry '{path}' failed its integrity check; it was removed and is rebuilt.", path));
            TryDelete(path);
            return false;
        }

        payload = bytes[HeaderSize..];
        return true;
    }

    public void Put(string stage, string key, ReadOnlySpan<byte> payload)
    {
        var path = PathOf(stage, key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{key}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> header = stackalloc byte[HeaderSize];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteInt64LittleEndian(header[8..], payload.Length);
                SHA256.HashData(payload, header[16..]);
                stream.Write(header);
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

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
