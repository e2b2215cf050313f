using AgentFlan.Compilation;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class DocumentMemoCompileTests
{
    private const string Recipe = """
        seed: 9
        sources:
          - name: synth
            format: synthetic
            count: 120
        capabilities:
          retrieval: 0.25
        sequence:
          length: 1024
        """;

    /// <summary>
    /// Hits are read from the previous pack on demand (it is indexed, not decoded), with the bytes of a compile
    /// without any cache; the pack published after the misses — this compile's documents, then the previous pack's
    /// other entries copied as stored — serves the next compile just as well.
    /// </summary>
    [TestMethod]
    public void Documents_read_from_a_previous_pack_on_demand_compile_to_the_bytes_of_a_compile_without_a_cache()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("r.recipe.yaml", Recipe);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache"), SpoolBudgetBytes = 0 };
        var first = RecipeCompiler.Compile(RecipeLoader.Load(path).Recipe!, temp.Combine("first"), cached);
        Assert.IsTrue(first.Spooled);

        foreach (var count in new[] { 6, 3 })
        {
            var changed = RecipeLoader.Load(path, $"alignment.format_following_count={count}").Recipe!;
            var plain = RecipeCompiler.Compile(changed, temp.Combine($"plain{count}"), new CompileOptions());
            var warm = RecipeCompiler.Compile(changed, temp.Combine($"warm{count}"), cached);
            Assert.IsFalse(warm.SamplesStageReused);
            Assert.IsTrue(warm.SamplesFromCache >= 100, $"{warm.SamplesFromCache} documents from the previous pack");
            // Six format-following samples are new; three of those six are all in the pack the first change published.
            Assert.AreEqual(count == 6, warm.SamplesTokenized >= 6, $"{warm.SamplesTokenized} tokenized");
            Assert.AreEqual(count == 3, warm.SamplesTokenized == 0, $"{warm.SamplesTokenized} tokenized");
            SampleStoreTests.AssertSameTree(temp.Combine($"plain{count}"), temp.Combine($"warm{count}"));
        }
    }

    [TestMethod]
    public void Cached_and_uncached_compiles_give_identical_bytes_and_a_weight_change_tokenizes_nothing()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("r.recipe.yaml", Recipe);
        var recipe = RecipeLoader.Load(path).Recipe!;
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };

        var plain = RecipeCompiler.Compile(recipe, temp.Combine("plain"), new CompileOptions());
        var cold = RecipeCompiler.Compile(recipe, temp.Combine("cold"), cached);
        var warm = RecipeCompiler.Compile(recipe, temp.Combine("warm"), cached);

        Assert.AreEqual(0, cold.SamplesFromCache);
        Assert.AreEqual(0, warm.SamplesTokenized);
        Assert.AreEqual(cold.SamplesTokenized, warm.SamplesFromCache);
        foreach (var name in Directory.GetFiles(temp.Combine("plain")).Select(Path.GetFileName))
        {
            var expected = File.ReadAllBytes(temp.Combine("plain", name!));
            CollectionAssert.AreEqual(expected, File.ReadAllBytes(temp.Combine("cold", name!)), name);
            CollectionAssert.AreEqual(expected, File.ReadAllBytes(temp.Combine("warm", name!)), name);
        }

        var reweighted = RecipeLoader.Load(path, "capabilities.retrieval=0.75").Recipe!;
        var rebuilt = RecipeCompiler.Compile(reweighted, temp.Combine("reweighted"), cached);
        Assert.AreEqual(0, rebuilt.SamplesTokenized, "a weight changes masks, not token ids");
        Assert.AreNotEqual(plain.Manifest.Statistics.SupervisedTokens, rebuilt.Manifest.Statistics.SupervisedTokens);

        var fresh = RecipeCompiler.Compile(reweighted, temp.Combine("fresh"), new CompileOptions());
        CollectionAssert.AreEqual(File.ReadAllBytes(temp.Combine("fresh", "manifest.json")), File.ReadAllBytes(temp.Combine("reweighted", "manifest.json")));
    }

    [TestMethod]
    public void A_damaged_cache_entry_is_ignored_and_the_output_is_still_exact()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", Recipe)).Recipe!;
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("a"), cached);
        foreach (var entry in Directory.EnumerateFiles(temp.Combine("cache"), "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(entry);
            File.WriteAllBytes(entry, bytes[..(bytes.Length / 2)]);
        }

        var again = RecipeCompiler.Compile(recipe, temp.Combine("b"), cached);

        Assert.AreEqual(0, again.SamplesFromCache);
        Assert.IsTrue(again.Diagnostics.Any(d => d.Code == AgentFlan.Diagnostics.DiagnosticCodes.CacheEntryCorrupt));
        CollectionAssert.AreEqual(File.ReadAllBytes(temp.Combine("a", "manifest.json")), File.ReadAllBytes(temp.Combine("b", "manifest.json")));
    }

    [TestMethod]
    public void Masking_or_template_changes_render_again_and_match_a_compile_without_cache()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("r.recipe.yaml", Recipe);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(RecipeLoader.Load(path).Recipe!, temp.Combine("first"), cached);

        foreach (var change in new[] { "masking.end_of_turn=false", "template=chatml" })
        {
            var changed = RecipeLoader.Load(path, change).Recipe!;
            var again = RecipeCompiler.Compile(changed, temp.Combine(change.Replace('=', '-')), cached);
            var fresh = RecipeCompiler.Compile(changed, temp.Combine("fresh-" + change.Replace('=', '-')), new CompileOptions());

            Assert.AreEqual(0, again.SamplesFromCache, change);
            Assert.AreEqual(first.SamplesTokenized, again.SamplesTokenized, change);
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(fresh.ManifestPath)!, "shard-00000.afbshard")), File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(again.ManifestPath)!, "shard-00000.afbshard")), change);
        }
    }
}
