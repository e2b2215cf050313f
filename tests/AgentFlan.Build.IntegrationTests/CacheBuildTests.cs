using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Build.IntegrationTests;

[TestClass]
public sealed class CacheBuildTests
{
    private const string Recipe = """
        seed: 4
        sources:
          - {name: part0, format: openai, path: data/part0.jsonl}
          - {name: part1, format: openai, path: data/part1.jsonl}
        capabilities:
          retrieval: 0.25
        sequence:
          length: 1024
        """;

    [TestMethod]
    public void Weight_changes_reuse_the_samples_stage_source_edits_reread_one_source_and_a_moved_project_hits_the_cache()
    {
        using var project = new TestProject();
        WriteSource(project, 0, seed: 1);
        WriteSource(project, 1, seed: 2);
        project.WriteRecipe("cached", Recipe);
        var cold = project.Build();
        Assert.AreEqual(0, cold.ExitCode, cold.ToString());
        StringAssert.Contains(cold.Output, "0 of 2 file sources from the read stage");

        project.WriteRecipe("cached", Recipe.Replace("retrieval: 0.25", "retrieval: 0.75", StringComparison.Ordinal));
        var reweighted = project.Build();
        Assert.AreEqual(0, reweighted.ExitCode, reweighted.ToString());
        StringAssert.Contains(reweighted.Output, "recipe 'cached': data will be recompiled: capabilities.retrieval: 0.25 -> 0.75");
        StringAssert.Contains(reweighted.Output, "samples stage from the cache");
        StringAssert.Contains(reweighted.Output, "token files of 2 of 2 sources reused (only masks written)");

        // The token files taken from the cache and the masks written anew are the bytes a build without a cache writes.
        var clean = project.Build("-p:AgentFlanUseCache=false", $"-p:AgentFlanOutputDir={project.Path("clean")}/");
        Assert.AreEqual(0, clean.ExitCode, clean.ToString());
        var written = Directory.GetFiles(project.Path("artifacts", "cached", "data")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(Directory.GetFiles(project.Path("clean", "cached", "data")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList(), written);
        Assert.IsTrue(written.Contains("shard-00000.afbmask"));
        foreach (var name in written)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(project.Path("clean", "cached", "data", name!)), File.ReadAllBytes(project.Path("artifacts", "cached", "data", name!)), name);
        }

        WriteSource(project, 1, seed: 3);
        var edited = project.Build();
        Assert.AreEqual(0, edited.ExitCode, edited.ToString());
        StringAssert.Contains(edited.Output, "1 of 2 file sources from the read stage");
        StringAssert.Contains(edited.Output, "recipe 'cached': data will be recompiled: source 'part1' changed");

        // Another folder (a moved or re-cloned repository) with the same inputs and its cache hits every entry,
        // and its output is the same bytes: keys hold no absolute path.
        using var moved = new TestProject();
        foreach (var file in Directory.EnumerateFiles(project.Directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(project.Directory, file);
            if (relative.StartsWith("data", StringComparison.Ordinal) || relative.StartsWith(".agentflan", StringComparison.Ordinal) || relative.EndsWith(".recipe.yaml", StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(moved.Path(relative))!);
                File.Copy(file, moved.Path(relative));
            }
        }

        var there = moved.Build();
        Assert.AreEqual(0, there.ExitCode, there.ToString());
        StringAssert.Contains(there.Output, "samples stage from the cache");
        foreach (var name in new[] { "manifest.json", "shard-00000.afbshard", "shard-00000.afbmask" })
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(project.Path("artifacts", "cached", "data", name)), File.ReadAllBytes(moved.Path("artifacts", "cached", "data", name)), name);
        }

        // Without the cache (whose read stage would replay the sources) a tiny memory budget spools the conversations
        // to disk (2 x 1,000 conversations are about 2 MB encoded, past 1 MB); a compile that way writes the same
        // bytes, and leaves no cache behind.
        var spooled = moved.Build("-p:AgentFlanSpoolBudgetMB=1", "-p:AgentFlanUseCache=false", $"-p:AgentFlanCacheDir={moved.Path("other-cache")}/", $"-p:AgentFlanOutputDir={moved.Path("spooled")}/");
        Assert.AreEqual(0, spooled.ExitCode, spooled.ToString());
        StringAssert.Contains(spooled.Output, "conversations spooled to disk");
        Assert.IsFalse(Directory.Exists(moved.Path("other-cache")), "AgentFlanUseCache=false reads and writes no cache");
        foreach (var name in new[] { "manifest.json", "shard-00000.afbshard", "shard-00000.afbmask" })
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(project.Path("artifacts", "cached", "data", name)), File.ReadAllBytes(moved.Path("spooled", "cached", "data", name)), name);
        }
    }

    private static void WriteSource(TestProject project, int index, int seed)
    {
        var path = project.Path("data", $"part{index}.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 1000, Seed = seed }), path);
    }
}
