namespace AgentFlan.TestUtilities;

/// <summary>
/// Golden-file comparison. Set AGENTFLAN_UPDATE_GOLDEN=1 to rewrite the goldens from the current output
/// (then review the diff in git before committing).
/// </summary>
public static class Golden
{
    public static bool Updating => Environment.GetEnvironmentVariable("AGENTFLAN_UPDATE_GOLDEN") == "1";

    /// <summary>Returns null when the golden matches, else a message describing the first difference.</summary>
    public static string? Compare(string repositoryRelativePath, string actual)
    {
        var path = RepositoryPaths.Combine(repositoryRelativePath);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return null;
        }

        if (!File.Exists(path))
        {
            return $"Golden file {path} is missing; run the tests with AGENTFLAN_UPDATE_GOLDEN=1 to create it.";
        }

        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        actual = actual.ReplaceLineEndings("\n");
        if (expected == actual)
        {
            return null;
        }

        int at = 0;
        while (at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at])
        {
            at++;
        }

        string Around(string s) => s.Substring(Math.Max(0, at - 40), Math.Min(80, s.Length - Math.Max(0, at - 40)));
        return $"Output differs from golden {path} at character {at}.\nexpected: …{Around(expected)}…\nactual:   …{Around(actual)}…\n(AGENTFLAN_UPDATE_GOLDEN=1 rewrites goldens.)";
    }
}
