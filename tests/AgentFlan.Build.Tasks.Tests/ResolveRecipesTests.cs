using AgentFlan.Build.Tasks;
using AgentFlan.TestUtilities;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks.Tests;

[TestClass]
public sealed class ResolveRecipesTests
{
    private const string Recipe = """
        name: demo
        sources:
          - name: s
            format: synthetic
            count: 5
        training:
          steps: 4
        """;

    [TestMethod]
    public void Logs_recipe_errors_with_code_file_line_and_column()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("bad.recipe.yaml", Recipe.Replace("steps: 4", "stpes: 4", StringComparison.Ordinal));
        var engine = new FakeBuildEngine();
        var task = NewTask(engine, temp, path);

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual("AFB0002", error.Code);
        Assert.AreEqual(path, error.File);
        Assert.AreEqual(7, error.LineNumber);
        Assert.AreEqual(3, error.ColumnNumber);
        StringAssert.Contains(error.Message, "Did you mean 'steps'?");
    }

    [TestMethod]
    public void Writes_stamps_only_when_their_content_changes()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("demo.recipe.yaml", Recipe);
        Assert.IsTrue(NewTask(new FakeBuildEngine(), temp, path).Execute());
        var data = temp.Combine("obj", "demo.data.json");
        var job = temp.Combine("obj", "demo.train.json");
        var past = DateTime.UtcNow.AddHours(-1);
        File.SetLastWriteTimeUtc(data, past);
        File.SetLastWriteTimeUtc(job, past);

        var task = NewTask(new FakeBuildEngine(), temp, path);
        Assert.IsTrue(task.Execute());
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(data), "an unchanged recipe must not touch the data stamp");
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(job));
        var item = task.ResolvedRecipes.Single();
        Assert.AreEqual("demo", item.GetMetadata("RecipeName"));
        Assert.AreEqual(temp.Combine("out", "demo", "data", "manifest.json"), item.GetMetadata("Manifest"));
        Assert.AreEqual(temp.Combine("out", "demo", "run", "summary.json"), item.GetMetadata("Summary"));

        temp.WriteFile("demo.recipe.yaml", Recipe.Replace("steps: 4", "steps: 5", StringComparison.Ordinal));
        Assert.IsTrue(NewTask(new FakeBuildEngine(), temp, path).Execute());
        Assert.AreEqual(past, File.GetLastWriteTimeUtc(data), "training settings are not data settings");
        Assert.AreNotEqual(past, File.GetLastWriteTimeUtc(job));
        StringAssert.Contains(File.ReadAllText(job), "\"steps\": 5");
    }

    [TestMethod]
    public void Two_recipes_with_one_name_are_rejected()
    {
        using var temp = new TempDirectory();
        var a = temp.WriteFile("a.recipe.yaml", Recipe);
        var b = temp.WriteFile("b.recipe.yaml", Recipe);
        var engine = new FakeBuildEngine();

        Assert.IsFalse(NewTask(engine, temp, a, b).Execute());
        Assert.AreEqual("AFB4001", engine.Errors.Single().Code);
        Assert.AreEqual(b, engine.Errors.Single().File);
    }

    [TestMethod]
    public void An_unchanged_recipe_is_replayed_from_the_snapshot_and_any_edit_resolves_again()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("demo.recipe.yaml", Recipe);
        var first = NewTask(new FakeBuildEngine(), temp, path);
        Assert.IsTrue(first.Execute());
        Assert.IsTrue(File.Exists(temp.Combine("obj", "resolve.snapshot.json")));

        var engine = new FakeBuildEngine();
        var replayed = NewTask(engine, temp, path);
        Assert.IsTrue(replayed.Execute());
        Assert.IsTrue(engine.Messages.Any(m => m.Message!.Contains("stamps reused without parsing", StringComparison.Ordinal)));
        Assert.IsTrue(engine.Messages.Any(m => m.Message == "AgentFlan: recipe 'demo': data will be recompiled: no compiled output yet"), "the summary is replayed");
        var expected = first.ResolvedRecipes.Single();
        var actual = replayed.ResolvedRecipes.Single();
        Assert.AreEqual(expected.ItemSpec, actual.ItemSpec);
        foreach (var name in new[] { "RecipeName", "DataStamp", "Manifest", "TrainJob", "RunDirectory", "Summary", "DataDirectory", "RecipePath" })
        {
            Assert.AreEqual(expected.GetMetadata(name), actual.GetMetadata(name), name);
        }

        temp.WriteFile("demo.recipe.yaml", Recipe.Replace("steps: 4", "steps: 6", StringComparison.Ordinal));
        var editedEngine = new FakeBuildEngine();
        Assert.IsTrue(NewTask(editedEngine, temp, path).Execute());
        Assert.IsFalse(editedEngine.Messages.Any(m => m.Message!.Contains("stamps reused", StringComparison.Ordinal)), "an edited recipe is parsed again");
        StringAssert.Contains(File.ReadAllText(temp.Combine("obj", "demo.train.json")), "6");
    }

    [TestMethod]
    public void A_checkpoint_folder_removed_after_the_snapshot_is_reported_again()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("checkpoint"));
        var path = temp.WriteFile("demo.recipe.yaml", Recipe.Replace("training:", "model:\n  kind: huggingface\n  path: checkpoint\ntraining:", StringComparison.Ordinal));
        Assert.IsTrue(NewTask(new FakeBuildEngine(), temp, path).Execute(), "a folder that exists validates");

        Directory.Delete(temp.Combine("checkpoint"));
        var engine = new FakeBuildEngine();

        Assert.IsFalse(NewTask(engine, temp, path).Execute());
        Assert.AreEqual("AFB0006", engine.Errors.Single().Code);
    }

    private static ResolveRecipes NewTask(FakeBuildEngine engine, TempDirectory temp, params string[] recipes) => new()
    {
        BuildEngine = engine,
        Recipes = [.. recipes.Select(r => new TaskItem(r))],
        IntermediateDirectory = temp.Combine("obj"),
        OutputDirectory = temp.Combine("out"),
    };
}
