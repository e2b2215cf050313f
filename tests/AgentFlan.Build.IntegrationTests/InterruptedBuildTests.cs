using System.Diagnostics;
using AgentFlan.TestUtilities;

namespace AgentFlan.Build.IntegrationTests;

[TestClass]
public sealed class InterruptedBuildTests
{
    [TestMethod]
    public void A_build_killed_during_the_compile_is_finished_by_the_next_build_with_the_bytes_of_a_clean_build()
    {
        var recipe = TestProject.SyntheticRecipe(4000, length: 1024);
        using var killed = new TestProject();
        using var clean = new TestProject();
        killed.WriteRecipe("big", recipe);
        clean.WriteRecipe("big", recipe);
        Assert.AreEqual(0, killed.Build("-t:Restore").ExitCode);

        // Start a build and kill its whole process tree once the compile has started (its stamp is written).
        var info = new ProcessStartInfo(DotNet.HostPath) { WorkingDirectory = killed.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", "Experiment.proj", "--no-restore", "-tl:off", "-nologo", "-m:1" })
        {
            info.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(info)!)
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var stamp = killed.Path("obj", "agentflan", "big.data.json");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(stamp) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(20);
            }

            Thread.Sleep(300);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var resumed = killed.Build();
        Assert.AreEqual(0, resumed.ExitCode, resumed.ToString());
        var fresh = clean.Build();
        Assert.AreEqual(0, fresh.ExitCode, fresh.ToString());

        var data = Path.Combine("artifacts", "big", "data");
        var files = Directory.GetFiles(clean.Path(data)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(files, Directory.GetFiles(killed.Path(data)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList(), "no temp file or stale shard is left behind");
        foreach (var file in files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(clean.Path(data, file!)), File.ReadAllBytes(killed.Path(data, file!)), file);
        }
    }
}
