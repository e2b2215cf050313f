using AgentFlan.Caching;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Hashing;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Compilation;

/// <summary>Listing and hashing a recipe's input files, on one thread or several.</summary>
[TestClass]
public sealed class SourceLoaderTests
{
    [TestMethod]
    public void Input_files_hashed_on_several_threads_are_those_of_one_thread_in_the_same_order()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 6; i++)
        {
            temp.WriteFile($"data/folder/part-{i}.jsonl", string.Concat(Enumerable.Repeat($"{{\"n\": {i}}}\n", 100 * (i + 1))));
        }

        temp.WriteFile("data/one.jsonl", "{\"a\": 1}\n");
        var recipe = RecipeWith(temp, ("folder", "data/folder"), ("one", "data/one.jsonl"), ("generated", null));
        // Its clock a minute ahead: the files just written are old enough for their hashes to be trusted (racy window).
        var memo = new FileHashMemo(temp.Combine("cache"), () => DateTime.UtcNow.AddMinutes(1));

        var one = SourceLoader.InputFiles(recipe, recipe.Sources, threads: 1);
        foreach (var threads in new[] { 2, 4 })
        {
            var several = SourceLoader.InputFiles(recipe, recipe.Sources, threads, memo);
            Assert.HasCount(3, several);
            for (int s = 0; s < one.Count; s++)
            {
                CollectionAssert.AreEqual(one[s].ToList(), several[s].ToList(), $"source {s}, {threads} threads");
            }
        }

        Assert.AreEqual(7, memo.Misses, "each file read once");
        Assert.AreEqual(7, memo.Hits, "then remembered, from several threads");
        Assert.AreEqual("data/folder/part-0.jsonl", one[0][0].Path);
        Assert.AreEqual(ContentHash.OfFile(temp.Combine("data", "folder", "part-5.jsonl")), one[0][5].Sha256);
        Assert.IsEmpty(one[2], "a synthetic source has no input file");
    }

    [TestMethod]
    public void The_first_source_that_matches_nothing_is_reported_whatever_the_threads()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("data/one.jsonl", "{\"a\": 1}\n");
        var recipe = RecipeWith(temp, ("one", "data/one.jsonl"), ("missing", "data/none-*.jsonl"), ("gone", "data/gone.jsonl"));
        foreach (var threads in new[] { 1, 4 })
        {
            var error = Assert.ThrowsExactly<DiagnosticException>(() => SourceLoader.InputFiles(recipe, recipe.Sources, threads));
            Assert.Contains("Source 'missing'", error.Diagnostics.Single().Message, $"{threads} threads");
        }
    }

    private static Recipe RecipeWith(TempDirectory temp, params (string Name, string? Path)[] sources) => new()
    {
        Name = "r",
        FilePath = temp.Combine("r.recipe.yaml"),
        Sources = [.. sources.Select(s => s.Path is null
            ? new SourceSettings { Name = s.Name, Format = "synthetic" }
            : new SourceSettings { Name = s.Name, Format = "openai", Path = temp.Combine(s.Path) })],
    };
}
