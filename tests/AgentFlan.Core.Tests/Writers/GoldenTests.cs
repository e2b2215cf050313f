using System.Runtime.CompilerServices;
using System.Text;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Writers;

/// <summary>
/// One golden file per format, written from one conversation of every kind. To accept a deliberate change,
/// run the tests with <c>AGENTFLAN_UPDATE_GOLDENS=1</c> and review the diff under Writers/Golden.
/// </summary>
[TestClass]
public sealed class GoldenTests
{
    public const string UpdateVariable = "AGENTFLAN_UPDATE_GOLDENS";

    public static IEnumerable<object[]> Formats => Enum.GetValues<CorpusFormat>().Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void OutputMatchesTheGoldenFile(CorpusFormat format)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(CorpusWriter.DefaultFileName(format));
        CorpusWriter.Write(format, GoldenConversations(), path);
        var actual = Flatten(path);
        var golden = Path.Combine(GoldenDirectory(), CorpusWriter.FormatName(format) + ".golden.txt");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(golden, actual, new UTF8Encoding(false));
            return;
        }

        Assert.IsTrue(File.Exists(golden), $"No golden file {golden}; run with {UpdateVariable}=1 to create it.");
        var expected = File.ReadAllText(golden);
        if (expected != actual)
        {
            Assert.Fail($"Output differs from {golden} ({FirstDifference(expected, actual)}); if the change is intended, rerun with {UpdateVariable}=1.");
        }
    }

    /// <summary>The first differing line of two texts, shortened, so a failure reads in one screen.</summary>
    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
        var left = line < a.Length ? a[line] : "<end>";
        var right = line < b.Length ? b[line] : "<end>";
        var column = Enumerable.Range(0, Math.Min(left.Length, right.Length)).FirstOrDefault(i => left[i] != right[i], Math.Min(left.Length, right.Length));
        static string Around(string s, int at) => s.Substring(Math.Max(0, at - 60), Math.Min(s.Length - Math.Max(0, at - 60), 160));
        return $"line {line + 1}, column {column + 1}: expected …{Around(left, column)}… but got …{Around(right, column)}…";
    }

    /// <summary>The first conversation of each kind for seed 2024, so every shape is covered.</summary>
    internal static IEnumerable<AgentFlan.Conversations.Conversation> GoldenConversations()
    {
        var options = new SyntheticOptions { Count = 1000, Seed = 2024 };
        return Enum.GetValues<SyntheticKind>()
            .Select(kind => Enumerable.Range(0, options.Count).First(i => SyntheticCorpus.KindOf(options, i) == kind))
            .Order()
            .Select(i => SyntheticCorpus.Create(options, i));
    }

    /// <summary>A file as is; a folder as its files in name order, each under a "=== name ===" header.</summary>
    private static string Flatten(string path)
    {
        if (!Directory.Exists(path))
        {
            return File.ReadAllText(path);
        }

        var builder = new StringBuilder();
        foreach (var file in Directory.GetFiles(path).Order(StringComparer.Ordinal))
        {
            builder.Append("=== ").Append(Path.GetFileName(file)).Append(" ===\n").Append(File.ReadAllText(file)).Append('\n');
        }

        return builder.ToString();
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Golden");
}
