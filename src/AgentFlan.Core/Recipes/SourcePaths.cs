namespace AgentFlan.Recipes;

/// <summary>Expands a source path that may hold <c>*</c> in its file name into the matching files, in ordinal order.</summary>
public static class SourcePaths
{
    public static IReadOnlyList<string> Expand(string path)
    {
        var fileName = Path.GetFileName(path);
        if (!fileName.Contains('*', StringComparison.Ordinal))
        {
            return File.Exists(path) || Directory.Exists(path) ? [path] : [];
        }

        var directory = Path.GetDirectoryName(path)!;
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, fileName).Order(StringComparer.Ordinal)]
            : [];
    }
}
