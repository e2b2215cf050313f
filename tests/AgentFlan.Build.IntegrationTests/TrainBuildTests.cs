using System.Text.Json.Nodes;

namespace AgentFlan.Build.IntegrationTests;

[TestClass]
public sealed class TrainBuildTests
{
    [TestMethod]
    public void Train_target_compiles_trains_through_the_trainer_process_and_is_incremental()
    {
        using var project = new TestProject();
        project.WriteRecipe("tiny", TestProject.SyntheticRecipe(40, steps: 4));

        var first = project.Build("-t:Train");
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        StringAssert.Contains(first.Output, "compiled recipe 'tiny'");
        StringAssert.Contains(first.Output, "step 4/4");
        var summary = JsonNode.Parse(File.ReadAllText(project.Path("artifacts", "tiny", "run", "summary.json")))!;
        Assert.AreEqual(4, (int)summary["steps"]!);
        Assert.IsTrue(File.Exists(project.Path("artifacts", "tiny", "run", "metrics.jsonl")));

        var second = project.Build("-t:Train");
        Assert.AreEqual(0, second.ExitCode, second.ToString());
        Assert.IsFalse(second.Output.Contains("step 4/4", StringComparison.Ordinal), "nothing changed, nothing retrains");
        StringAssert.Contains(second.Output, "Skipping target \"_AgentFlanTrain\"");
    }

    [TestMethod]
    public void A_failing_trainer_fails_the_build_with_its_coded_error()
    {
        using var project = new TestProject();
        Directory.CreateDirectory(project.Path("checkpoint"));
        project.WriteRecipe("huge", TestProject.SyntheticRecipe(20).Replace("model:", "model:\n  kind: huggingface\n  path: checkpoint", StringComparison.Ordinal));

        var result = project.Build("-t:Train");

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, "config.json : error AFB5004: The Hugging Face checkpoint");
        Assert.IsFalse(File.Exists(project.Path("artifacts", "huge", "run", "summary.json")));
    }
}
