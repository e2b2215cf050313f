using AgentFlan.Charts;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Charts;

[TestClass]
public sealed class ReportChartSpecTests
{
    private static readonly DatasetStatistics Statistics = new()
    {
        Conversations = 200,
        Documents = 190,
        Tokens = 9000,
        SupervisedTokens = 3000,
        PaddingTokens = 1000,
        Truncated = 10,
        Dropped = 4,
        Unsupervised = 6,
        Sources =
        [
            new SourceStatistics
            {
                Name = "toolbench", Format = "toolbench", Read = 120, Accepted = 100, Repaired = 5, Rejected = 15,
                RejectedByCode = new SortedDictionary<string, int> { ["AFB1004"] = 10, ["AFB1018"] = 5 },
                RepairedByCode = new SortedDictionary<string, int> { ["AFB1022"] = 5 },
            },
            new SourceStatistics
            {
                Name = "chat", Format = "sharegpt", Read = 80, Accepted = 78, Rejected = 2,
                RejectedByCode = new SortedDictionary<string, int> { ["AFB1004"] = 2 },
            },
        ],
        LengthHistogram = new SortedDictionary<int, long> { [128] = 50, [256] = 100, [384] = 30, [512] = 10 },
        ConversationsByKind = new SortedDictionary<string, long> { ["agent-chat"] = 150, ["general"] = 50 },
        SupervisedTokensByKind = new SortedDictionary<string, long> { ["agent-chat"] = 2400, ["general"] = 600 },
        Capabilities = [new CapabilityStatistics("reasoning", 1, 1000, 1000, 900, 0.5, 0.45), new CapabilityStatistics("retrieval", 0.5, 800, 400, 380, 0.2, 0.19)],
        Transforms = new TransformStatistics
        {
            FormatFollowingRequested = 20,
            FormatFollowingByFormat = new SortedDictionary<string, long> { ["json"] = 12, ["react"] = 6 },
            NegativesRequested = 30,
            NegativesByKind = new SortedDictionary<string, long> { ["source"] = 7, ["irrelevant_tools"] = 25 },
        },
    };

    [TestMethod]
    public void Efficiency_shows_packing_fill_supervision_truncation_and_drops_in_percent()
    {
        var chart = DatasetReportCharts.EfficiencyChart(Statistics);

        Assert.AreEqual(100, chart.ValueMax);
        CollectionAssert.AreEqual(new[] { 90.0, 33.33, 5.0, 2.0, 3.0 }, chart.Series.Single().Values.ToArray());
    }

    [TestMethod]
    public void Sources_and_reasons_carry_the_reader_tallies()
    {
        var sources = DatasetReportCharts.SourcesChart(Statistics)!;
        CollectionAssert.AreEqual(new[] { "toolbench", "chat" }, sources.Categories.ToArray());
        CollectionAssert.AreEqual(new[] { "read", "accepted", "repaired", "rejected" }, sources.Series.Select(s => s.Name).ToArray());
        CollectionAssert.AreEqual(new[] { 15.0, 2.0 }, sources.Series[3].Values.ToArray());

        var reasons = DatasetReportCharts.ReasonsChart(Statistics)!;
        CollectionAssert.AreEqual(new[] { "AFB1004", "AFB1018", "AFB1022" }, reasons.Categories.ToArray());
        CollectionAssert.AreEqual(new[] { 12.0, 5.0, 0.0 }, reasons.Series.Single(s => s.Name == "rejected").Values.ToArray(), "summed over sources");
        CollectionAssert.AreEqual(new[] { 0.0, 0.0, 5.0 }, reasons.Series.Single(s => s.Name == "repaired").Values.ToArray());
    }

    [TestMethod]
    public void Lengths_become_adjacent_bins_from_zero()
    {
        var manifest = Manifest(Statistics);
        var chart = DatasetReportCharts.LengthsChart(manifest)!;

        CollectionAssert.AreEqual(
            new[] { new HistogramBin(0, 128, 50), new HistogramBin(128, 256, 100), new HistogramBin(256, 384, 30), new HistogramBin(384, 512, 10) },
            chart.Bins.ToArray());
    }

    [TestMethod]
    public void Kinds_built_and_capabilities_compare_requested_with_achieved()
    {
        var kinds = DatasetReportCharts.KindsChart(Statistics);
        CollectionAssert.AreEqual(new[] { "agent-chat", "general" }, kinds.Categories.ToArray());
        CollectionAssert.AreEqual(new[] { 75.0, 25.0 }, kinds.Series[0].Values.ToArray());
        CollectionAssert.AreEqual(new[] { 80.0, 20.0 }, kinds.Series[1].Values.ToArray());

        var built = DatasetReportCharts.BuiltChart(Statistics)!;
        CollectionAssert.AreEqual(new[] { 20.0, 30.0 }, built.Series.Single(s => s.Name == "requested").Values.ToArray());
        CollectionAssert.AreEqual(new[] { 18.0, 25.0 }, built.Series.Single(s => s.Name == "built").Values.ToArray(), "negatives taken from the sources are not built");

        var capabilities = DatasetReportCharts.CapabilitiesChart(Statistics)!;
        CollectionAssert.AreEqual(new[] { "reasoning", "retrieval" }, capabilities.Categories.ToArray());
        CollectionAssert.AreEqual(new[] { 1000.0, 400.0 }, capabilities.Series.Single(s => s.Name == "requested").Values.ToArray());
        CollectionAssert.AreEqual(new[] { 900.0, 380.0 }, capabilities.Series.Single(s => s.Name == "achieved").Values.ToArray());
    }

    [TestMethod]
    public void Charts_with_nothing_to_show_are_left_out()
    {
        var bare = new DatasetStatistics { Conversations = 3, Documents = 3, Tokens = 30, SupervisedTokens = 10 };
        var names = DatasetReportCharts.For(Manifest(bare)).Select(c => c.Name).ToList();

        CollectionAssert.AreEqual(new[] { DatasetReportCharts.Efficiency, DatasetReportCharts.Kinds }, names);
        Assert.IsTrue(DatasetReportCharts.For(Manifest(Statistics)).All(c => System.Text.RegularExpressions.Regex.IsMatch(c.Name, "^[a-z0-9-]+$")));
    }

    [TestMethod]
    public void Experiment_chart_has_a_group_per_score_and_a_bar_per_recipe_with_its_spread()
    {
        var runs = new List<(string, EvaluationResults)> { ("a", Results(1, 0.2)), ("a", Results(2, 0.4)), ("b", Results(1, 0.9)) };
        var chart = ExperimentChart.Spec(runs);

        CollectionAssert.AreEqual(ExperimentReport.Columns.Select(c => c.Title).ToArray(), chart.Categories.ToArray());
        CollectionAssert.AreEqual(new[] { "a", "b" }, chart.Series.Select(s => s.Name).ToArray());
        int hscore = ExperimentReport.Columns.ToList().FindIndex(c => c.Score == "hscore");
        Assert.AreEqual(30, chart.Series[0].Values[hscore], 1e-9);
        Assert.AreEqual(100 * Math.Sqrt(0.02), chart.Series[0].Errors![hscore], 1e-9);
        Assert.AreEqual(0, chart.Series[1].Errors![hscore], "one seed: no spread");
        Assert.IsTrue(double.IsNaN(chart.Series[0].Values[0]), "a score no run has is left out");
    }

    [TestMethod]
    public void Examples_prefer_one_per_kind_then_fill_up_to_three()
    {
        var examples = new ReportExamples();
        var chatNoCall = TestConversations.Chat("plain-agent") with { Kind = ConversationKind.AgentChat };
        examples.Offer(chatNoCall);
        examples.Offer(TestConversations.Chat("general-1"));
        examples.Offer(TestConversations.ToolUse("agent-call"));
        examples.Offer(TestConversations.Chat("general-2"));
        CollectionAssert.AreEqual(new[] { "agent-call", "general-1", "plain-agent" }, examples.Chosen().Select(c => c.Id).ToArray(), "an agent example that calls a tool is preferred");

        var single = new ReportExamples();
        single.Offer(TestConversations.Chat("g1"));
        single.Offer(TestConversations.Chat("g2"));
        CollectionAssert.AreEqual(new[] { "g1", "g2" }, single.Chosen().Select(c => c.Id).ToArray());
    }

    private static EvaluationResults Results(int seed, double hscore) => new()
    {
        Recipe = "r",
        TrainingSeed = seed,
        Suites = [new SuiteScores(SuiteNames.Hallucination, new Dictionary<string, double> { ["hscore"] = hscore }, new Dictionary<string, int>())],
        Cases = [],
        Decontamination = new Decontamination(0, 0, [], 0),
    };

    private static DatasetManifest Manifest(DatasetStatistics statistics) => new()
    {
        Recipe = "unit",
        CompilerVersion = "test",
        Seed = 1,
        SettingsHash = "x",
        Tokenizer = new TokenizerInfo("tiktoken", "gpt2", "h", 50257, 50256),
        Template = "agentflan",
        SequenceLength = 512,
        Shards = [],
        Statistics = statistics,
    };
}
