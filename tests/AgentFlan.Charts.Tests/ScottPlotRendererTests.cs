using AgentFlan.Compilation;
using AgentFlan.Evaluation;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Charts.Tests;

[TestClass]
public sealed class ScottPlotRendererTests
{
    private static readonly BarChartSpec Bars = new()
    {
        Name = "kinds",
        Title = "Conversations by kind",
        YLabel = "%",
        ValueMax = 100,
        Categories = ["agent-chat", "negative", "calls when none is right ↓"],
        Series = [new("conversations", [60, 25, 15], [5, 2, 1]), new("supervised tokens", [70, double.NaN, 10])],
    };

    private static readonly HistogramSpec Histogram = new()
    {
        Name = "lengths",
        Title = "Sample lengths",
        XLabel = "tokens",
        YLabel = "documents",
        Width = 640,
        Height = 360,
        Bins = [new(0, 128, 10), new(128, 256, 25), new(256, 384, 4)],
    };

    private static readonly LineChartSpec Lines = new()
    {
        Name = "loss",
        Title = "training loss",
        XLabel = "step",
        YLabel = "loss",
        Series = [new("loss", [1, 2, 3, 4], [4, 3, 3.5, 2]), new("mean", [1, 2, 3, 4], [4, 3.5, 3.5, 3.1], Emphasis: true, Errors: [0.1, 0.2, 0.1, 0.3])],
    };

    [TestMethod]
    public void Every_kind_of_chart_is_a_decodable_non_blank_PNG_of_the_requested_size()
    {
        var renderer = new ScottPlotRenderer();
        foreach (ChartSpec chart in new ChartSpec[] { Bars, Histogram, Lines })
        {
            using var bitmap = PngImage.AssertChart(renderer.RenderPng(chart), chart.Width, chart.Height, chart.Name);
        }
    }

    [TestMethod]
    public void The_experiment_comparison_renders_at_its_size()
    {
        EvaluationResults Results(int seed, double score) => new()
        {
            Recipe = "r",
            TrainingSeed = seed,
            Suites = [new SuiteScores(SuiteNames.Hallucination, new Dictionary<string, double> { ["hscore"] = score, ["h_react"] = 1 - score }, new Dictionary<string, int>())],
            Cases = [],
            Decontamination = new Decontamination(0, 0, [], 0),
        };
        var chart = ExperimentChart.Spec([("baseline", Results(1, 0.4)), ("baseline", Results(2, 0.5)), ("agent-flan", Results(1, 0.8))]);

        using var bitmap = PngImage.AssertChart(new ScottPlotRenderer().RenderPng(chart), 1000, 500, "comparison.png");
    }

    [TestMethod]
    public void Rendering_is_deterministic()
    {
        var renderer = new ScottPlotRenderer();
        CollectionAssert.AreEqual(renderer.RenderPng(Bars), new ScottPlotRenderer().RenderPng(Bars));
        var first = renderer.RenderPng(Lines);
        var again = renderer.RenderPng(Lines);
        CollectionAssert.AreEqual(first, again, "one renderer drawing the same chart twice gives the same bytes");
    }

    [TestMethod]
    public void Text_is_drawn_with_a_font_file()
    {
        // Two titles of the same length lay out alike; their bands differ only if real glyphs were drawn
        // (no font draws nothing, a font without the glyphs draws the same boxes for both).
        var renderer = new ScottPlotRenderer();
        using var one = PngImage.AssertChart(renderer.RenderPng(Bars with { Title = "Conversations by kind" }), 800, 450, "one");
        using var other = PngImage.AssertChart(renderer.RenderPng(Bars with { Title = "Supervised by sources" }), 800, 450, "other");
        Assert.IsGreaterThan(100, PngImage.DarkPixels(one, 200, 0, 600, 30), "the title's glyphs");
        Assert.AreNotEqual(PngImage.DarkPixels(one, 200, 0, 600, 30), PngImage.DarkPixels(other, 200, 0, 600, 30));

        if (ChartFont.Candidates().Any(File.Exists))
        {
            Assert.IsNotNull(ChartFont.Current.File, ChartFont.Current.Description);
            StringAssert.Contains(renderer.Description, Path.GetFileName(ChartFont.Current.File));
        }
    }

    [TestMethod]
    public void Long_category_names_wrap_at_spaces_and_given_line_breaks()
    {
        Assert.AreEqual("calls when\nnone is\nright ↓", ScottPlotRenderer.Wrap("calls when none is right ↓", 10));
        Assert.AreEqual("packing fill\n(of row tokens)", ScottPlotRenderer.Wrap("packing fill\n(of row tokens)", 40));
    }

    [TestMethod]
    public void A_compile_with_the_renderer_writes_report_charts_that_decode_and_that_the_report_links()
    {
        using var temp = new TempDirectory();
        var recipe = new Recipe
        {
            Name = "charts",
            FilePath = temp.Combine("charts.recipe.yaml"),
            Sources = [new SourceSettings { Name = "synthetic", Format = "synthetic", Count = 80 }],
            Sequence = new SequenceSettings { Length = 256 },
        };

        RecipeCompiler.Compile(recipe, temp.Combine("a"), new CompileOptions { Charts = new ScottPlotRenderer() });
        RecipeCompiler.Compile(recipe, temp.Combine("b"), new CompileOptions { Charts = new ScottPlotRenderer() });

        var report = File.ReadAllText(temp.Combine("a", RecipeCompiler.ReportFileName));
        var links = System.Text.RegularExpressions.Regex.Matches(report, @"!\[[^\]]*\]\((report/[a-z0-9-]+\.png)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.IsGreaterThanOrEqualTo(5, links.Count, report);
        CollectionAssert.AreEquivalent(links.Select(Path.GetFileName).ToList(), Directory.GetFiles(temp.Combine("a", DatasetReport.ChartFolder)).Select(Path.GetFileName).ToList());
        foreach (var link in links)
        {
            var png = File.ReadAllBytes(Path.Combine(temp.Combine("a"), link));
            using var bitmap = PngImage.AssertChart(png, 800, 450, link);
            CollectionAssert.AreEqual(png, File.ReadAllBytes(Path.Combine(temp.Combine("b"), link)), $"{link} is the same in a second compile");
        }
    }

    [TestMethod]
    public void Getting_ready_in_the_background_draws_the_same_bytes()
    {
        var warm = new ScottPlotRenderer();
        var cold = new ScottPlotRenderer(warmUp: false);
        foreach (ChartSpec chart in new ChartSpec[] { Bars, Histogram, Lines })
        {
            CollectionAssert.AreEqual(cold.RenderPng(chart), warm.RenderPng(chart), chart.Name);
        }

        Assert.AreEqual(cold.Description, warm.Description);
    }
}
