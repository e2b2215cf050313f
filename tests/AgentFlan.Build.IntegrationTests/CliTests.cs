using AgentFlan.Cli;
using AgentFlan.TestUtilities;

namespace AgentFlan.Build.IntegrationTests;

[TestClass]
public sealed class CliTests
{
    [TestMethod]
    public void Validate_reports_the_same_located_error_as_the_build()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("broken.recipe.yaml", TestProject.SyntheticRecipe(10).Replace("  length: 128", "  lenght: 128", StringComparison.Ordinal));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Program.Run(["validate", path], stdout, stderr);

        Assert.AreEqual(1, exit);
        StringAssert.Contains(stderr.ToString(), $"{path}(7,3): error AFB0002: Unknown key 'sequence.lenght'. Did you mean 'length'?");
    }

    [TestMethod]
    public void Validate_and_compile_succeed_on_a_good_recipe()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("good.recipe.yaml", TestProject.SyntheticRecipe(20));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.AreEqual(0, Program.Run(["validate", path], stdout, stderr), stderr.ToString());
        Assert.AreEqual(0, Program.Run(["compile", path, "--out", temp.Combine("out")], stdout, stderr), stderr.ToString());
        Assert.IsTrue(File.Exists(temp.Combine("out", "manifest.json")));
        StringAssert.Contains(File.ReadAllText(temp.Combine("out", "report.md")), "](report/lengths.png)");
        Assert.IsTrue(File.Exists(temp.Combine("out", "report", "lengths.png")), "the CLI draws the report's charts too");
        Assert.AreEqual(2, Program.Run(["frobnicate"], stdout, stderr));
    }

    [TestMethod]
    public void Read_prints_the_accounting_and_exports_openai_jsonl()
    {
        using var temp = new TempDirectory();
        var conversations = AgentFlan.Synthetic.SyntheticCorpus.Generate(new AgentFlan.Synthetic.SyntheticOptions { Count = 12, Seed = 2 }).ToList();
        var path = temp.Combine("chat.json");
        AgentFlan.Writers.CorpusWriter.Write(AgentFlan.Writers.CorpusFormat.Glaive, conversations, path, new AgentFlan.Writers.CorpusWriterOptions { InjectDefects = true, DefectRate = 0.5, Seed = 3 });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Program.Run(["read", "--format", "glaive", path, "--out", temp.Combine("out.jsonl")], stdout, stderr);

        Assert.AreEqual(0, exit, stderr.ToString());
        var text = stdout.ToString();
        StringAssert.Contains(text, $"{path}: 12 read = ");
        StringAssert.Contains(text, "rejected AFB10");
        Assert.IsTrue(File.ReadAllLines(temp.Combine("out.jsonl")).Length > 0);
    }

    [TestMethod]
    public void Generate_writes_every_format_deterministically()
    {
        using var temp = new TempDirectory();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.AreEqual(0, Program.Run(["generate", "--format", "all", "--count", "15", "--seed", "4", "--out", temp.Combine("a")], stdout, stderr), stderr.ToString());
        Assert.AreEqual(0, Program.Run(["generate", "--format", "all", "--count", "15", "--seed", "4", "--out", temp.Combine("b")], stdout, stderr), stderr.ToString());

        var files = Directory.GetFiles(temp.Combine("a"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp.Combine("a"), f)).Order().ToList();
        Assert.IsTrue(files.Count >= 7, string.Join(", ", files));
        foreach (var file in files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(temp.Combine("a", file)), File.ReadAllBytes(temp.Combine("b", file)), file);
        }

        Assert.AreEqual(2, Program.Run(["generate", "--format", "nope", "--count", "1", "--out", temp.Combine("c")], stdout, stderr));
    }
}
