using System.Text.RegularExpressions;
using AgentFlan.Charts;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Compilation;

[TestClass]
public sealed partial class DatasetReportTests
{
    private static readonly Conversation[] Corpus =
    [
        .. Enumerable.Range(0, 12).Select(i => TestConversations.ToolUse($"tool-{i}", $"City{i}")),
        .. Enumerable.Range(0, 6).Select(i => TestConversations.ToolUse($"react-{i}", $"Town{i}") with { Kind = ConversationKind.AgentReact }),
        .. Enumerable.Range(0, 8).Select(i => TestConversations.Chat($"chat-{i}", $"Answer number {i}.")),
    ];

    [TestMethod]
    public void Charts_are_written_beside_the_report_and_every_link_resolves()
    {
        using var temp = new TempDirectory();
        var renderer = new RecordingRenderer();
        var result = RecipeCompiler.Compile(Recipe(temp), temp.Combine("out"), new CompileOptions { Charts = renderer });

        var report = File.ReadAllText(temp.Combine("out", RecipeCompiler.ReportFileName));
        var links = ImageLink().Matches(report).Select(m => m.Groups[1].Value).ToList();
        CollectionAssert.AreEquivalent(renderer.Drawn.Select(c => $"report/{c.Name}.png").ToList(), links, "one link per chart drawn");
        CollectionAssert.IsSubsetOf(
            new[] { DatasetReportCharts.Efficiency, DatasetReportCharts.Sources, DatasetReportCharts.Lengths, DatasetReportCharts.Kinds, DatasetReportCharts.Capabilities },
            renderer.Drawn.Select(c => c.Name).ToList());
        foreach (var link in links)
        {
            var path = Path.Combine(temp.Combine("out"), link);
            Assert.IsTrue(File.Exists(path), link);
            CollectionAssert.AreEqual(RecordingRenderer.Bytes(Path.GetFileNameWithoutExtension(link)), File.ReadAllBytes(path), link);
        }

        StringAssert.Contains(report, "Charts drawn with recording renderer.");
        Assert.IsEmpty(result.Diagnostics);
        Assert.IsFalse(File.ReadAllText(result.ManifestPath).Contains(".png", StringComparison.Ordinal), "chart images are not part of the manifest");
    }

    [TestMethod]
    public void Without_a_renderer_the_report_says_no_charts_were_drawn_and_removes_old_ones()
    {
        using var temp = new TempDirectory();
        RecipeCompiler.Compile(Recipe(temp), temp.Combine("out"), new CompileOptions { Charts = new RecordingRenderer() });
        Assert.IsNotEmpty(Directory.GetFiles(temp.Combine("out", DatasetReport.ChartFolder), "*.png"));

        var result = RecipeCompiler.Compile(Recipe(temp), temp.Combine("out"), new CompileOptions());

        var report = File.ReadAllText(temp.Combine("out", RecipeCompiler.ReportFileName));
        StringAssert.Contains(report, "Charts: none drawn. This compile was given no chart renderer");
        Assert.IsFalse(report.Contains("![", StringComparison.Ordinal), report);
        Assert.IsEmpty(Directory.GetFiles(temp.Combine("out", DatasetReport.ChartFolder), "*.png"), "images of an earlier compile are not left behind as if current");
        Assert.IsEmpty(result.Diagnostics);
    }

    [TestMethod]
    public void A_failing_renderer_gives_warning_AFB2006_and_the_report_says_why()
    {
        using var temp = new TempDirectory();
        var result = RecipeCompiler.Compile(Recipe(temp), temp.Combine("out"), new CompileOptions { Charts = new RecordingRenderer { Fail = true } });

        var warning = result.Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.ReportChartsFailed, warning.Code);
        Assert.AreEqual(DiagnosticSeverity.Warning, warning.Severity);
        var report = File.ReadAllText(temp.Combine("out", RecipeCompiler.ReportFileName));
        StringAssert.Contains(report, "Charts: none drawn. Drawing them failed (DllNotFoundException: libSkiaSharp is missing)");
        Assert.IsFalse(report.Contains("![", StringComparison.Ordinal), report);
        Assert.IsTrue(File.Exists(result.ManifestPath), "the data is unaffected");
    }

    [TestMethod]
    public void The_report_renders_three_examples_of_different_kinds_with_their_loss_mask()
    {
        using var temp = new TempDirectory();
        var recipe = Recipe(temp);
        RecipeCompiler.Compile(recipe, Corpus, temp.Combine("out"));

        var report = File.ReadAllText(temp.Combine("out", RecipeCompiler.ReportFileName));
        StringAssert.Contains(report, "### Example 1: agent-react (source test, id react-0)");
        StringAssert.Contains(report, "### Example 2: agent-chat (source test, id tool-0)");
        StringAssert.Contains(report, "### Example 3: general (source test, id chat-0)");
        Assert.IsFalse(report.Contains("### Example 4", StringComparison.Ordinal));
        var examples = report[report.IndexOf("## Examples", StringComparison.Ordinal)..];
        Assert.AreEqual(3, Regex.Count(examples, "tokens, [0-9]+ supervised"));
        Assert.IsGreaterThanOrEqualTo(3, Regex.Count(examples, "⟦[^⟧]+⟧"), "supervised text is marked");
    }

    [TestMethod]
    public void The_same_recipe_gives_the_same_manifest_with_or_without_charts()
    {
        using var temp = new TempDirectory();
        var with = RecipeCompiler.Compile(Recipe(temp), temp.Combine("a"), new CompileOptions { Charts = new RecordingRenderer() });
        var without = RecipeCompiler.Compile(Recipe(temp), temp.Combine("b"), new CompileOptions());

        Assert.AreEqual(File.ReadAllText(with.ManifestPath), File.ReadAllText(without.ManifestPath));
    }

    private static Recipe Recipe(TempDirectory temp) => new()
    {
        Name = "unit",
        FilePath = temp.Combine("unit.recipe.yaml"),
        Sources = [new SourceSettings { Name = "test", Format = "synthetic", Count = 60 }],
        Sequence = new SequenceSettings { Length = 256 },
    };

    [GeneratedRegex(@"!\[[^\]]*\]\(([^)]+)\)")]
    private static partial Regex ImageLink();

    private sealed class RecordingRenderer : IChartRenderer
    {
        public bool Fail { get; init; }

        public List<ChartSpec> Drawn { get; } = [];

        public string Description => "recording renderer";

        public static byte[] Bytes(string name) => [0x89, (byte)'P', (byte)'N', (byte)'G', .. System.Text.Encoding.UTF8.GetBytes(name)];

        public byte[] RenderPng(ChartSpec chart)
        {
            if (Fail)
            {
                throw new DllNotFoundException("libSkiaSharp is missing");
            }

            Drawn.Add(chart);
            return Bytes(chart.Name);
        }
    }
}
