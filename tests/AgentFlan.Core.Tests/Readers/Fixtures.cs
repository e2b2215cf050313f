using System.Runtime.CompilerServices;
using AgentFlan.Readers;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>
/// The fixtures folder (read in place, from the source tree) and golden comparison. Set
/// AGENTFLAN_UPDATE_GOLDENS=1 to rewrite the goldens from the current readers, then review the diff.
/// </summary>
internal static class Fixtures
{
    public static string Directory { get; } = Locate();

    public static string Path(string name) => System.IO.Path.Combine(Directory, name);

    public static List<ReadResult> Read(string format, string name, string source = "fixture") =>
        [.. SourceReaders.Find(format)!.Read(Path(name), source, CancellationToken.None)];

    public static void AssertGolden(string goldenName, IEnumerable<ReadResult> results)
    {
        var actual = CanonicalJson.Serialize(results, Directory);
        var golden = Path($"{goldenName}.golden.json");
        if (Environment.GetEnvironmentVariable("AGENTFLAN_UPDATE_GOLDENS") == "1")
        {
            File.WriteAllText(golden, actual);
            return;
        }

        Assert.IsTrue(File.Exists(golden), $"No golden {golden}; run with AGENTFLAN_UPDATE_GOLDENS=1 to create it.");
        var expected = File.ReadAllText(golden).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            var actualPath = golden + ".actual";
            File.WriteAllText(actualPath, actual);
            Assert.Fail($"{goldenName} differs from its golden; the actual output is in {actualPath}. Diff them, and if the change is right rerun with AGENTFLAN_UPDATE_GOLDENS=1.");
        }
    }

    private static string Locate([CallerFilePath] string thisFile = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(thisFile)!, "Fixtures");
}
