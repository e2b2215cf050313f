using System.Text.Json.Nodes;
using AgentFlan.Synthetic;
using AgentFlan.Writers;

namespace AgentFlan.Build.IntegrationTests;

[TestClass]
public sealed class EvaluateBuildTests
{
    private const string SmallEvaluation = """

        evaluation:
          samples: 10
          max_new_tokens: 16
        """;

    [TestMethod]
    public void Evaluate_target_trains_evaluates_writes_a_report_and_is_incremental()
    {
        using var project = new TestProject();
        project.WriteRecipe("tiny", TestProject.SyntheticRecipe(40, length: 512, steps: 3) + SmallEvaluation);

        var first = project.Build("-t:Evaluate");
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        StringAssert.Contains(first.Output, "step 3/3");
        StringAssert.Contains(first.Output, "evaluating tiny: 20 held-out cases");
        var report = File.ReadAllText(project.Path("artifacts", "tiny", "eval", "report.md"));
        StringAssert.Contains(report, "## hallucination");
        StringAssert.Contains(report, "| hscore |");
        StringAssert.Contains(report, "## tool_use");
        StringAssert.Contains(report, "## Decontamination");
        var results = JsonNode.Parse(File.ReadAllText(project.Path("artifacts", "tiny", "eval", "results.json")))!;
        Assert.AreEqual(20, results["cases"]!.AsArray().Count);
        Assert.AreEqual(0, (int)results["decontamination"]!["queries_found_in_training"]!);

        var second = project.Build("-t:Evaluate");
        Assert.AreEqual(0, second.ExitCode, second.ToString());
        StringAssert.Contains(second.Output, "Skipping target \"_AgentFlanEvaluate\"");
    }

    [TestMethod]
    public void Evaluate_measures_held_out_loss_and_asks_glaive_and_held_out_cases()
    {
        using var project = new TestProject();
        var glaive = project.Path("data", "glaive.json");
        Directory.CreateDirectory(Path.GetDirectoryName(glaive)!);
        CorpusWriter.Write(CorpusFormat.Glaive, SyntheticCorpus.Generate(new SyntheticOptions { Count = 24, Seed = 2, Split = SyntheticSplit.HeldOut }), glaive);
        project.WriteRecipe("tiny", TestProject.SyntheticRecipe(40, length: 512, steps: 3) + """

            held_out:
              fraction: 0.25
            evaluation:
              suites: [hallucination, tool_use, loss]
              samples: 6
              max_new_tokens: 8
              sources:
                - {name: glaive, format: glaive, path: data/glaive.json, origin: glaive-function-calling-v2}
            """);

        var result = project.Build("-t:Evaluate");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.IsFalse(result.Output.Contains("AFB0010", StringComparison.Ordinal), "held_out.fraction and the loss suite are applied: no AFB0010");
        StringAssert.Contains(result.Output, "held-out loss");
        Assert.IsTrue(File.Exists(project.Path("artifacts", "tiny", "data", "held_out.jsonl")));
        var manifest = JsonNode.Parse(File.ReadAllText(project.Path("artifacts", "tiny", "data", "manifest.json")))!;
        var heldOut = (int)manifest["statistics"]!["transforms"]!["held_out_by_source"]!["synthetic"]!;
        Assert.AreEqual(heldOut, File.ReadAllLines(project.Path("artifacts", "tiny", "data", "held_out.jsonl")).Length);

        var report = File.ReadAllText(project.Path("artifacts", "tiny", "eval", "report.md"));
        StringAssert.Contains(report, "## loss");
        StringAssert.Contains(report, "| reasoning |");
        StringAssert.Contains(report, "| glaive:tools_offered/tool_needed |");
        StringAssert.Contains(report, "| held_out:");
        var results = JsonNode.Parse(File.ReadAllText(project.Path("artifacts", "tiny", "eval", "results.json")))!;
        var loss = (double)results["loss"]!["overall"]!["mean_loss"]!;
        Assert.IsTrue(double.IsFinite(loss) && loss > 0, $"{loss}");
        Assert.AreEqual(2, results["loss"]!["by_set"]!.AsArray().Count, "the generator's held-out split and the recipe's held-out conversations");
    }

    [TestMethod]
    public void Experiment_target_compares_recipes_over_seeds()
    {
        using var project = new TestProject();
        project.WriteRecipe("a", TestProject.SyntheticRecipe(30, length: 512, steps: 2) + SmallEvaluation);
        project.WriteRecipe("b", "extends: a.recipe.yaml\nname: b\nalignment:\n  react_fraction: 1.0\n");

        var result = project.Build("-t:Experiment", "-p:AgentFlanExperimentSeeds=1%3B2", "-p:AgentFlanExperimentRecipes=b%3Ba", "-p:AgentFlanExperimentSamples=5");

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        var comparison = File.ReadAllText(project.Path("artifacts", "experiment", "comparison.md"));
        StringAssert.Contains(comparison, "over 2 training seed(s) (1, 2)");
        Assert.IsLessThan(comparison.IndexOf("| a |", StringComparison.Ordinal), comparison.IndexOf("| b |", StringComparison.Ordinal), "table order follows AgentFlanExperimentRecipes");
        Assert.IsTrue(File.Exists(project.Path("artifacts", "experiment", "comparison.png")));
        Assert.IsTrue(File.Exists(project.Path("artifacts", "experiment", "a", "seed-2", "eval", "results.json")));
    }
}
