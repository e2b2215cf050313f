using System.IO.Compression;
using AgentFlan.Diagnostics;

namespace AgentFlan.Readers.Json;

/// <summary>Finds the files behind a source path and opens them, decompressing gzip by its magic bytes.</summary>
internal static class SourceFiles
{
    private static readonly string[] Extensions = [".json", ".jsonl", ".json.gz", ".jsonl.gz"];

    /// <summary>
    /// The path itself when it is a file; for a folder, every JSON or JSON Lines file below it (plain or
    /// .gz), in ordinal order of their relative paths so that reading order never depends on the disk.
    /// </summary>
    public static IEnumerable<string> Enumerate(string path)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(file => Extensions.Any(extension => file.EndsWith(extension, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(file => Path.GetRelativePath(path, file).Replace('\\', '/'), StringComparer.Ordinal)
                .ToList();
        }

        throw Unreadable(path, "no such file or folder");
    }

    /// <summary>Opens a file for sequential reading; a gzip file (magic 1F 8B) comes back decompressed.</summary>
    public static Stream Open(string file)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(file, e.Message);
        }

        Span<byte> magic = stackalloc byte[2];
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new BufferedStream(new GZipStream(stream, CompressionMode.Decompress), 1 << 16)
            : stream;
    }

    private static DiagnosticException Unreadable(string path, string why) =>
        new(Diagnostic.Error(DiagnosticCodes.SourceUnreadable, $"Cannot read source '{path}': {why}.", path));
}
