using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Evaluation;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;
using AgentFlan.Transforms;
using AgentFlan.Writers;
using TransformCorpus = AgentFlan.Core.Tests.Transforms.TransformCorpus;

namespace AgentFlan.Core.Tests.Evaluation;

[TestClass]
public sealed class SourceCasesTests
{
    /// <summary>Four of each: tools offered and called, tools offered and a plain answer, no tools.</summary>
    private static List<Conversation> Corpus() =>
    [
        .. Enumerable.Range(0, 4).Select(i => TestConversations.ToolUse($"call-{i}", $"Town{i}")),
        .. Enumerable.Range(0, 4).Select(i => new Conversation($"plain-{i}", new Provenance("x"), [TestConversations.Weather],
            [Message.User($"Write a haiku about autumn number {i}."), Message.Assistant($"Leaves fall, number {i}.")])),
        .. Enumerable.Range(0, 4).Select(i => new Conversation($"chat-{i}", new Provenance("x"), [],
            [Message.User($"What is {i} plus {i}?"), Message.Assistant($"{i + i}.")])),
    ];

    private static string WriteGlaive(TempDirectory temp, IEnumerable<Conversation> conversations)
    {
        var path = temp.Combine("eval", CorpusWriter.DefaultFileName(CorpusFormat.Glaive));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        CorpusWriter.Write(CorpusFormat.Glaive, conversations, path);
        return path;
    }

    private static Recipe Load(TempDirectory temp, int samples = 50, string suites = "[hallucination, tool_use]")
    {
        var loaded = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", $"""
            seed: 3
            sources:
              - {"{"}name: syn, format: synthetic, count: 20{"}"}
            evaluation:
              suites: {suites}
              samples: {samples}
              sources:
                - {"{"}name: glaive, format: glaive, path: eval/{CorpusWriter.DefaultFileName(CorpusFormat.Glaive)}, origin: glaive-function-calling-v2{"}"}
            """));
        Assert.IsNotNull(loaded.Recipe, string.Join("\n", loaded.Diagnostics));
        return loaded.Recipe;
    }

    [TestMethod]
    public void A_glaive_file_becomes_cases_by_what_its_first_assistant_turn_does()
    {
        using var temp = new TempDirectory();
        WriteGlaive(temp, Corpus());
        var recipe = Load(temp);

        var cases = EvaluationSuites.Build(recipe.Seed, recipe.Evaluation, [], recipe.FilePath).Where(c => c.Category.StartsWith("glaive:", StringComparison.Ordinal)).ToList();

        var byCategory = cases.GroupBy(c => (c.Suite, c.Category)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.HasCount(4, byCategory[(SuiteNames.Hallucination, "glaive:" + SuiteNames.ToolsNeed)]);
        Assert.HasCount(4, byCategory[(SuiteNames.Hallucination, "glaive:" + SuiteNames.ToolsNoNeed)]);
        Assert.HasCount(4, byCategory[(SuiteNames.Hallucination, "glaive:" + SourceCases.NoTools)]);
        Assert.HasCount(4, byCategory[(SuiteNames.ToolUse, "glaive:" + SuiteNames.Call)]);
        Assert.HasCount(4, byCategory[(SuiteNames.ToolUse, "glaive:" + SuiteNames.NoCall)]);
        Assert.HasCount(5, byCategory.Keys, "a conversation without tools gives no tool_use case");

        foreach (var c in byCategory[(SuiteNames.ToolUse, "glaive:" + SuiteNames.Call)])
        {
            // The known call, read back from glaive's single-quoted arguments.
            var town = c.Query["What's the weather in ".Length..^1];
            Assert.AreEqual(Expectation.Call, c.Expect);
            Assert.AreEqual("get_weather", c.ExpectedCall!.Name);
            Assert.IsTrue(JsonNode.DeepEquals(new JsonObject { ["city"] = town }, c.ExpectedCall.Arguments), c.ExpectedCall.Arguments.ToJsonString());
            Assert.AreEqual("get_weather", c.Prompt.Tools.Single().Name, "tools offered");
            Assert.IsFalse(c.Prompt.Messages.Any(m => m.Role == Role.Assistant), "the prompt stops before the answer");
        }

        Assert.IsTrue(cases.Where(c => c.Category.EndsWith(SuiteNames.ToolsNoNeed, StringComparison.Ordinal) || c.Category.EndsWith(SourceCases.NoTools, StringComparison.Ordinal))
            .All(c => c.Expect == Expectation.PlainText && c.ExpectedCall is null));
        Assert.IsTrue(byCategory[(SuiteNames.Hallucination, "glaive:" + SourceCases.NoTools)].All(c => c.Prompt.Tools.Count == 0));
    }

    [TestMethod]
    public void Samples_cases_are_chosen_per_suite_by_the_seed_the_same_every_time()
    {
        using var temp = new TempDirectory();
        WriteGlaive(temp, Corpus());
        var conversations = SourceCases.Read(Load(temp).Evaluation.Sources[0], null);

        string Ids(int seed) => string.Join(",", SourceCases.Build("glaive", conversations, seed, 5, [SuiteNames.Hallucination]).Select(c => c.Id));
        var first = Ids(3);

        Assert.HasCount(5, SourceCases.Build("glaive", conversations, 3, 5, [SuiteNames.Hallucination]));
        Assert.AreEqual(first, Ids(3));
        Assert.AreEqual(first, string.Join(",", SourceCases.Build("glaive", conversations.AsEnumerable().Reverse(), 3, 5, [SuiteNames.Hallucination]).Select(c => c.Id)), "file order does not matter");
        Assert.IsTrue(Enumerable.Range(4, 5).Any(seed => Ids(seed) != first), "another seed picks other cases");
    }

    [TestMethod]
    public void Glaive_cases_decontaminate_training_through_the_same_cases()
    {
        using var temp = new TempDirectory();
        WriteGlaive(temp, Corpus());
        var recipe = Load(temp);
        var leaked = Corpus().Select(c => c with { Id = "train-" + c.Id, Provenance = new Provenance("leaky") });
        var clean = Enumerable.Range(0, 5).Select(i => TransformCorpus.General($"ok-{i}", $"Tell me something about volcano number {i} and its history.", "Sure."));

        var result = AgentFlanTransforms.Apply(recipe, [.. leaked, .. clean]);

        Assert.AreEqual(12, result.Statistics.DecontaminatedBySource["leaky"], "every conversation of the evaluation file is removed from training");
        Assert.HasCount(5, result.Conversations.Where(c => c.Id.StartsWith("ok-", StringComparison.Ordinal)).ToList());
    }

    [TestMethod]
    public void A_missing_evaluation_file_is_a_clear_error_with_its_path()
    {
        using var temp = new TempDirectory();
        var missing = RecipeLoader.Load(temp.WriteFile("m.recipe.yaml", "sources:\n  - {name: s, format: synthetic, count: 2}\nevaluation:\n  sources:\n    - {name: glaive, format: glaive, path: nowhere/glaive.json}\n"));
        var error = missing.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual(DiagnosticCodes.ReferencedFileMissing, error.Code);
        StringAssert.Contains(error.Message, Path.Combine(temp.Path, "nowhere", "glaive.json"));

        // Present when the recipe loaded, gone when the evaluation reads it.
        var path = WriteGlaive(temp, Corpus());
        var recipe = Load(temp);
        File.Delete(path);
        var thrown = Assert.ThrowsExactly<DiagnosticException>(() => EvaluationSuites.Build(recipe.Seed, recipe.Evaluation, [], recipe.FilePath));
        Assert.AreEqual(DiagnosticCodes.EvaluationSourceUnreadable, thrown.Diagnostics[0].Code);
        StringAssert.Contains(thrown.Diagnostics[0].Message, path);

        var synthetic = RecipeLoader.Load(temp.WriteFile("s.recipe.yaml", "sources:\n  - {name: s, format: synthetic, count: 2}\nevaluation:\n  sources:\n    - {name: g, format: synthetic, path: r.recipe.yaml}\n"));
        Assert.IsTrue(synthetic.Diagnostics.Any(d => d.IsError), "an evaluation source is a file: synthetic is not a format it may name");
        var reserved = RecipeLoader.Load(temp.WriteFile("h.recipe.yaml", $"sources:\n  - {{name: s, format: synthetic, count: 2}}\nevaluation:\n  sources:\n    - {{name: held_out, format: glaive, path: eval/glaive.json}}\n"));
        Assert.IsTrue(reserved.Diagnostics.Any(d => d.Code == DiagnosticCodes.OutOfRange && d.Message.Contains("held_out.fraction", StringComparison.Ordinal)), "held_out names the recipe's own held-out cases");
    }

    [TestMethod]
    public void The_loss_suite_and_held_out_fraction_are_applied_so_they_no_longer_warn()
    {
        using var temp = new TempDirectory();
        var loaded = RecipeLoader.Load(temp.WriteFile("l.recipe.yaml", "sources:\n  - {name: s, format: synthetic, count: 2}\nheld_out:\n  fraction: 0.1\nevaluation:\n  suites: [loss]\n"));

        Assert.IsNotNull(loaded.Recipe);
        Assert.IsEmpty(loaded.Diagnostics, string.Join("\n", loaded.Diagnostics));
        Assert.AreEqual(0.1, loaded.Recipe.HeldOut.Fraction);
        CollectionAssert.AreEqual(new[] { SuiteNames.Loss }, loaded.Recipe.Evaluation.Suites.ToArray());
    }

    [TestMethod]
    public void Held_out_conversations_become_cases_of_their_own_source()
    {
        var cases = EvaluationSuites.Build(1, new EvaluationSettings { Samples = 10 }, Corpus());

        Assert.HasCount(10, cases.Where(c => c.Suite == SuiteNames.Hallucination && c.Category.StartsWith(EvaluationSuites.HeldOutSource + ":", StringComparison.Ordinal)).ToList());
        Assert.HasCount(8, cases.Where(c => c.Suite == SuiteNames.ToolUse && c.Category.StartsWith(EvaluationSuites.HeldOutSource + ":", StringComparison.Ordinal)).ToList());
    }
}
