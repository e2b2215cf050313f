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
        Assert.AreEqual(2, Program.Run(["frobnicate"], stdout, stderr));
    }
}
