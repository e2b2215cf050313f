using AgentFlan.Compilation;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class TransformCompileTests
{
    /// <summary>The whole compile with every transform on: same recipe and seed → byte-identical outputs; the report shows the method.</summary>
    [TestMethod]
    public void Compiling_with_the_method_twice_gives_byte_identical_outputs_and_reports_capabilities()
    {
        using var temp = new TempDirectory();
        var recipe = new Recipe
        {
            Name = "method",
            FilePath = temp.Combine("method.recipe.yaml"),
            Sources = [new SourceSettings { Name = "synthetic", Format = "synthetic", Count = 250 }],
            Alignment = new AlignmentSettings { FormatFollowingCount = 20 },
            Negatives = new NegativeSettings { Ratio = 0.1 },
            Mixing = new MixingSettings { GeneralRatio = 1.0, MaxTokens = 60_000 },
            Sequence = new SequenceSettings { Length = 1024 },
        };
        var a = RecipeCompiler.Compile(recipe, temp.Combine("a"));
        RecipeCompiler.Compile(recipe, temp.Combine("b"));
        foreach (var file in Directory.GetFiles(temp.Combine("a")).Select(Path.GetFileName))
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(temp.Combine("a", file!)), File.ReadAllBytes(temp.Combine("b", file!)), file);
        }

        var s = a.Manifest.Statistics;
        Assert.IsTrue(s.Tokens <= 60_000);
        Assert.IsTrue(s.Transforms.TokenBudgetRemoved > 0);
        Assert.AreEqual(4, s.Capabilities.Count);
        Assert.IsTrue(s.ConversationsByKind.ContainsKey("agent-react") && s.ConversationsByKind.ContainsKey("format-following"));
        var report = File.ReadAllText(temp.Combine("a", RecipeCompiler.ReportFileName));
        StringAssert.Contains(report, "## By capability");
        StringAssert.Contains(report, "## Agent-FLAN transforms");
        var manifest = DatasetManifest.Load(a.ManifestPath);
        Assert.AreEqual(s.Capabilities[1], manifest.Statistics.Capabilities[1]);
    }
}
