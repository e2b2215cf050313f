namespace AgentFlan.TestUtilities;

/// <summary>Locates the repository from a test's output folder (the folder holding AgentFlan.Build.sln).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AgentFlan.Build.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No AgentFlan.Build.sln above {AppContext.BaseDirectory}.");
    }
}
