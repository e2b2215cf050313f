using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Synthetic;
using AgentFlan.Templates;

namespace AgentFlan.Core.Tests.Evaluation;

[TestClass]
public sealed class EvaluationSuitesTests
{
    private static readonly IReadOnlyList<EvaluationCase> Cases = EvaluationSuites.Build(1234, 200, [SuiteNames.Hallucination, SuiteNames.ToolUse]);

    [TestMethod]
    public void Suites_cover_the_two_by_two_format_requests_and_known_calls()
    {
        var hallucination = Cases.Where(c => c.Suite == SuiteNames.Hallucination).ToList();
        var toolUse = Cases.Where(c => c.Suite == SuiteNames.ToolUse).ToList();

        Assert.HasCount(200, hallucination);
        Assert.HasCount(200, toolUse);
        foreach (var category in new[] { SuiteNames.ToolsNoNeed, SuiteNames.NoToolsNeed, SuiteNames.NoToolsNoNeed, SuiteNames.ToolsNeed, SuiteNames.FormatRequest })
        {
            Assert.HasCount(40, hallucination.Where(c => c.Category == category).ToList(), category);
        }

        Assert.IsTrue(hallucination.Where(c => c.Category == SuiteNames.ToolsNoNeed).All(c => c.Prompt.Tools.Count > 0 && c.Expect == Expectation.PlainText));
        Assert.IsTrue(hallucination.Where(c => c.Category.StartsWith("no_tools", StringComparison.Ordinal)).All(c => c.Prompt.Tools.Count == 0 && c.Expect == Expectation.PlainText));
        Assert.IsTrue(hallucination.Where(c => c.Category == SuiteNames.FormatRequest).All(c => c.Form != RenderForm.Chat && c.ExpectedCall is not null));
        Assert.AreEqual(50, toolUse.Count(c => c.Expect == Expectation.PlainText));
        Assert.IsTrue(toolUse.Where(c => c.Expect == Expectation.Call).All(c => c.ExpectedCall is not null && c.Prompt.Tools.Any(t => t.Name == c.ExpectedCall.Name)));
        Assert.IsTrue(Cases.All(c => c.Prompt.Messages[^1].Role == Role.User));
        Assert.AreEqual(Cases.Count, Cases.Select(c => c.Id).Distinct().Count());
    }

    [TestMethod]
    public void Cases_are_deterministic_and_a_prefix_of_larger_sets()
    {
        var again = EvaluationSuites.Build(1234, 200, [SuiteNames.Hallucination, SuiteNames.ToolUse]);
        var smaller = EvaluationSuites.Hallucination(1234, 50);

        CollectionAssert.AreEqual(Cases.Select(c => c.Query + c.Reference).ToList(), again.Select(c => c.Query + c.Reference).ToList());
        foreach (var c in smaller)
        {
            Assert.AreEqual(Cases.Single(x => x.Id == c.Id && x.Suite == c.Suite).Query, c.Query);
        }
    }

    [TestMethod]
    public void No_case_query_occurs_in_a_training_corpus_of_the_same_seed()
    {
        var train = SyntheticCorpus.Generate(new SyntheticOptions { Count = 5000, Seed = 1234 }).ToList();
        var text = string.Join("\n", train.SelectMany(c => c.Messages).Select(m => m.Content));
        var check = Decontamination.Check(Cases, text);

        Assert.AreEqual(0, check.QueriesFoundInTraining, string.Join("; ", check.Examples));
        Assert.IsTrue(Cases.Any(c => c.ExpectedCall is { } call && ToolCatalog.HeldOutToolNames.Contains(call.Name)), "held-out tools are evaluated");
    }

    [TestMethod]
    public void Decontamination_finds_a_leaked_query()
    {
        var leaked = Cases[3].Query;

        Assert.IsGreaterThanOrEqualTo(1, Decontamination.Check(Cases, "x\n" + leaked + "\ny").QueriesFoundInTraining);
        Assert.AreEqual(0, Decontamination.Check(Cases, "nothing to see").QueriesFoundInTraining);
    }

    [TestMethod]
    public void Prompts_end_with_the_assistant_opening_and_render_the_requested_form()
    {
        var template = ChatTemplates.Get("agentflan");
        var react = Cases.First(c => c.Expect == Expectation.ReactFormat);
        var chat = Cases.First(c => c.Category == SuiteNames.ToolsNoNeed);

        StringAssert.EndsWith(EvaluationPrompt.Render(template, react), template.Markers.AssistantBegin);
        StringAssert.Contains(EvaluationPrompt.Render(template, react), "Action Input line");
        StringAssert.Contains(EvaluationPrompt.Render(template, chat), "I'll use tool_name");
        Assert.AreEqual(("Hi", true), EvaluationPrompt.Cut("Hi\u0D3F\n <|Human|>", template));
        Assert.AreEqual(("Hi there", false), EvaluationPrompt.Cut("Hi there", template));
    }
}
