using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Templates;

namespace AgentFlan.Core.Tests.Evaluation;

[TestClass]
public sealed class ScoringTests
{
    private static readonly ToolSyntax Syntax = ChatTemplates.Get("agentflan").Tools;

    [TestMethod]
    public void Agent_h_scores_match_hand_counted_responses()
    {
        string[] responses =
        [
            "Thought: the user wants weather.\nAction: get_weather",   // ReAct only
            "I will use the weather tool to find out.",                 // general only
            "Thought: I need to call the tool.\nI NEED TO CALL it.",    // both (phrase matching ignores case)
            "Lima is the capital of Peru.",                             // clean
        ];

        var paper = HallucinationKeywords.Paper;
        double hReact = Scoring.HReact(responses, paper), hGeneral = Scoring.HGeneral(responses, paper);

        Assert.AreEqual(0.5, hReact, 1e-12);
        Assert.AreEqual(0.5, hGeneral, 1e-12);
        Assert.AreEqual(0.5, Scoring.HScore(hReact, hGeneral), 1e-12);
        Assert.AreEqual(1.0, Scoring.HScore(0, 0), 1e-12);
        Assert.AreEqual(0.891, Scoring.HScore(0.099, 0.119), 1e-12); // the paper's Agent-FLAN row: 9.9 and 11.9 give 89.1
    }

    [TestMethod]
    public void Keyword_lists_are_configurable()
    {
        var custom = new HallucinationKeywords(["Observation:"], ["calling the"]);

        Assert.AreEqual(0.0, Scoring.HReact(["Thought: x", "Action: y"], custom));
        Assert.AreEqual(1.0, Scoring.HReact(["Observation: 3"], custom));
        Assert.AreEqual(0.5, Scoring.HGeneral(["Calling the API now", "hello"], custom));
        Assert.IsTrue(HallucinationKeywords.Default.HasGeneral("Sure, I'll use get_weather with city = \"Rome\"."));
    }

    [TestMethod]
    public void Suite_scores_count_only_their_own_cases()
    {
        var expected = new ToolCall("get_weather", JsonNode.Parse("{\"city\": \"Rome\"}")!.AsObject());
        var results = new[]
        {
            Score(Case("a", SuiteNames.ToolUse, Expectation.Call, expected), "I'll use get_weather with city = \"Rome\"."),        // right, exact
            Score(Case("b", SuiteNames.ToolUse, Expectation.Call, expected), "I'll use get_weather with city = \"Paris\"."),       // right tool, wrong value
            Score(Case("c", SuiteNames.ToolUse, Expectation.Call, expected), "I'll use get_forecast with city = Rome."),          // wrong tool, invalid
            Score(Case("d", SuiteNames.ToolUse, Expectation.Call, expected), "It is sunny in Rome."),                              // no call
            Score(Case("e", SuiteNames.ToolUse, Expectation.PlainText, null), "Hello! How can I help?"),                           // no call: right
            Score(Case("f", SuiteNames.ToolUse, Expectation.PlainText, null), "I'll use get_weather with city = \"Rome\"."),       // call: wrong
            Score(Case("g", SuiteNames.Hallucination, Expectation.PlainText, null), "Action: get_weather"),
        };

        var tool = Scoring.Summarize(SuiteNames.ToolUse, results).Scores;
        var hallucination = Scoring.Summarize(SuiteNames.Hallucination, results).Scores;

        Assert.AreEqual(0.5, tool["tool_name_accuracy"], 1e-12);
        Assert.AreEqual(0.5, tool["argument_json_validity"], 1e-12);
        Assert.AreEqual(0.25, tool["argument_exact_match"], 1e-12);
        Assert.AreEqual(0.5, tool["no_call_accuracy"], 1e-12);
        Assert.AreEqual(1.0, hallucination["h_react"], 1e-12);
        Assert.AreEqual(0.0, hallucination["h_general"], 1e-12);
        Assert.AreEqual(0.5, hallucination["hscore"], 1e-12);
        Assert.AreEqual(1.0, hallucination["h_call"], 1e-12);
        Assert.IsTrue(double.IsNaN(hallucination["format_following"]));
        Assert.IsTrue(results[5].Hallucinated);
        Assert.IsFalse(results[4].Hallucinated);
    }

    [TestMethod]
    public void Format_requests_are_followed_only_in_the_requested_form()
    {
        var call = new ToolCall("define_word", JsonNode.Parse("{\"word\": \"apt\"}")!.AsObject());

        Assert.IsTrue(Score(Case("r", SuiteNames.Hallucination, Expectation.ReactFormat, call), "Thought: look it up.\nAction: define_word\nAction Input: {\"word\": \"apt\"}").FormatFollowed);
        Assert.IsFalse(Score(Case("r", SuiteNames.Hallucination, Expectation.ReactFormat, call), "I'll use define_word with word = \"apt\".").FormatFollowed);
        Assert.IsTrue(Score(Case("j", SuiteNames.Hallucination, Expectation.JsonFormat, call), "{\"thought\": \"x\", \"name\": \"define_word\", \"arguments\": {\"word\": \"apt\"}}").FormatFollowed);
        Assert.IsFalse(Score(Case("j", SuiteNames.Hallucination, Expectation.JsonFormat, call), "Thought: x\nAction: define_word\nAction Input: {\"word\": \"apt\"}").FormatFollowed);
    }

    [TestMethod]
    public void Rescoring_stored_answers_applies_new_keyword_lists()
    {
        var c = Case("p", SuiteNames.Hallucination, Expectation.PlainText, null);
        var stored = new EvaluationResults
        {
            Recipe = "r",
            Cases = [Score(c, "Let me call the weather service.")],
            Suites = [new SuiteScores(SuiteNames.Hallucination, new Dictionary<string, double>(), new Dictionary<string, int>())],
            Decontamination = new Decontamination(1, 0, [], 0),
        };

        var strict = Scoring.Rescore(stored, [c], Syntax, HallucinationKeywords.Default);
        var paper = Scoring.Rescore(stored, [c], Syntax, HallucinationKeywords.Paper);

        Assert.AreEqual(1.0, strict.Score(SuiteNames.Hallucination, "h_general"), 1e-12);
        Assert.AreEqual(0.0, paper.Score(SuiteNames.Hallucination, "h_general"), 1e-12);
    }

    [TestMethod]
    public void Experiment_statistics_use_the_sample_standard_deviation()
    {
        var (mean, sd, n) = ExperimentReport.MeanSd([0.2, 0.4, double.NaN, 0.6]);

        Assert.AreEqual(0.4, mean, 1e-12);
        Assert.AreEqual(0.2, sd, 1e-12);
        Assert.AreEqual(3, n);
        Assert.AreEqual(0.0, ExperimentReport.MeanSd([0.7]).Sd);
    }

    private static CaseResult Score(EvaluationCase c, string response) => Scoring.Score(c, response, Syntax, HallucinationKeywords.Default);

    private static EvaluationCase Case(string id, string suite, Expectation expect, ToolCall? call) =>
        new(id, suite, "test", new Conversation(id, new Provenance("test"), [], [Message.User("q")]), RenderForm.Chat, expect, call, string.Empty);
}
