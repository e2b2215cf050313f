using AgentFlan.TestUtilities;

namespace AgentFlan.Build.IntegrationTests;

[TestClass]
public sealed class RecipeBuildTests
{
    [TestMethod]
    public void A_build_compiles_in_the_compile_server_the_bytes_a_worker_of_its_own_writes()
    {
        using var served = new TestProject();
        using var alone = new TestProject();
        served.WriteRecipe("alpha", TestProject.SyntheticRecipe(50));
        var first = served.Build();
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        StringAssert.Contains(first.Output, "compile server");

        // The next build finds the server running (the tests' builds share it for a minute), in another folder.
        served.WriteRecipe("alpha", TestProject.SyntheticRecipe(60));
        var second = served.Build();
        Assert.AreEqual(0, second.ExitCode, second.ToString());
        Assert.IsTrue(
            second.Output.Contains("compiled in the running compile server", StringComparison.Ordinal) || second.Output.Contains("busy with another build", StringComparison.Ordinal),
            second.Output);

        alone.WriteRecipe("alpha", TestProject.SyntheticRecipe(60));
        var worker = alone.Build("-p:AgentFlanCompileServer=false");
        Assert.AreEqual(0, worker.ExitCode, worker.ToString());
        Assert.IsFalse(worker.Output.Contains("compile server", StringComparison.Ordinal), worker.Output);

        var data = Path.Combine("artifacts", "alpha", "data");
        var files = Directory.GetFiles(alone.Path(data)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(files, Directory.GetFiles(served.Path(data)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        foreach (var file in files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(alone.Path(data, file!)), File.ReadAllBytes(served.Path(data, file!)), file);
        }
    }

    [TestMethod]
    public void Build_compiles_recipes_then_skips_them_then_recompiles_only_the_edited_one()
    {
        using var project = new TestProject();
        project.WriteRecipe("alpha", TestProject.SyntheticRecipe(40));
        project.WriteRecipe("beta", TestProject.SyntheticRecipe(30));

        var first = project.Build();
        Assert.AreEqual(0, first.ExitCode, first.ToString());
        StringAssert.Contains(first.Output, "compiled recipe 'alpha'");
        StringAssert.Contains(first.Output, "compiled recipe 'beta'");
        Assert.IsTrue(File.Exists(project.Path("artifacts", "alpha", "data", "manifest.json")));
        Assert.IsTrue(File.Exists(project.Path("artifacts", "beta", "data", "report.md")));
        AssertReportChartsExist(project.Path("artifacts", "beta", "data"));

        var second = project.Build();
        Assert.AreEqual(0, second.ExitCode, second.ToString());
        Assert.IsFalse(second.Output.Contains("compiled recipe", StringComparison.Ordinal), second.Output);
        StringAssert.Contains(second.Output, "Skipping target \"_AgentFlanCompileRecipes\" because all output files are up-to-date");

        // Training settings do not touch the data.
        project.WriteRecipe("beta", TestProject.SyntheticRecipe(30, steps: 9));
        var trainingOnly = project.Build();
        Assert.IsFalse(trainingOnly.Output.Contains("compiled recipe", StringComparison.Ordinal), trainingOnly.Output);

        project.WriteRecipe("alpha", TestProject.SyntheticRecipe(45));
        var third = project.Build();
        Assert.AreEqual(0, third.ExitCode, third.ToString());
        StringAssert.Contains(third.Output, "compiled recipe 'alpha'");
        Assert.IsFalse(third.Output.Contains("compiled recipe 'beta'", StringComparison.Ordinal), third.Output);
        StringAssert.Contains(third.Output, "Building target \"_AgentFlanCompileRecipes\" partially");
        StringAssert.Contains(third.Output, "recipe 'alpha': data will be recompiled: sources[0].count: 40 -> 45");
        StringAssert.Contains(third.Output, "recipe 'beta': data up to date");

        var clean = DotNet.Run(project.Directory, TimeSpan.FromMinutes(2), "clean", "Experiment.proj", "-tl:off", "-nologo");
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        Assert.IsFalse(File.Exists(project.Path("artifacts", "alpha", "data", "manifest.json")), "dotnet clean removes compiled data");
    }

    [TestMethod]
    public void Malformed_recipe_fails_the_build_with_a_located_coded_error()
    {
        using var project = new TestProject();
        project.WriteRecipe("broken", TestProject.SyntheticRecipe(10).Replace("  length: 128", "  lenght: 128", StringComparison.Ordinal));

        var result = project.Build();

        Assert.AreNotEqual(0, result.ExitCode);
        StringAssert.Contains(result.Output, $"{project.Path("broken.recipe.yaml")}(7,3): error AFB0002: Unknown key 'sequence.lenght'. Did you mean 'length'?");
        Assert.IsFalse(File.Exists(project.Path("artifacts", "broken", "data", "manifest.json")));
    }

    /// <summary>The report's charts were drawn inside the build (the task host loaded the native Skia library) and its links resolve.</summary>
    private static void AssertReportChartsExist(string dataDirectory)
    {
        var report = File.ReadAllText(Path.Combine(dataDirectory, "report.md"));
        StringAssert.Contains(report, "Charts drawn with ScottPlot");
        var links = System.Text.RegularExpressions.Regex.Matches(report, @"!\[[^\]]*\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        CollectionAssert.IsSubsetOf(new[] { "report/efficiency.png", "report/sources.png", "report/lengths.png", "report/kinds.png" }, links, report);
        foreach (var link in links)
        {
            var png = File.ReadAllBytes(Path.Combine(dataDirectory, link));
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4], link);
            Assert.IsGreaterThan(2000, png.Length, $"{link} has content");
        }
    }
}
