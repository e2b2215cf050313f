using AgentFlan.Caching;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class PackedStoreTests
{
    internal const string ThreeSources = """
        sources:
          - {name: part0, format: openai, path: data/part0.jsonl}
          - {name: part1, format: openai, path: data/part1.jsonl}
          - {name: part2, format: openai, path: data/part2.jsonl}
        capabilities:
          retrieval: 0.5
        sequence:
          length: 1024
        """;

    [TestMethod]
    [DataRow("", 2)]
    [DataRow("negatives.ratio=0.3;alignment.format_following_count=20", 2)]
    [DataRow("negatives.ratio=0.2;negatives.kinds=[irrelevant_tools]", 2)]
    [DataRow("mixing.max_samples=200;negatives.count=15", 2)]
    [DataRow("sources.part2.weight=2.5;alignment.react_fraction=0.5", 2)]
    [DataRow("mixing.general_ratio=1", 0)] // the general copies follow the agent samples of every source: all decisions change
    public void Editing_one_source_copies_the_others_shards_and_writes_the_bytes_of_a_clean_compile(string overrides, int copied)
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, overrides);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        Assert.AreEqual(0, first.SegmentsReused);
        Assert.AreEqual(3, first.Segments);

        Generate(temp, "part1", count: 60, seed: 77);
        var edited = RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);
        RecipeCompiler.Compile(recipe, temp.Combine("clean"), new CompileOptions());

        Assert.AreEqual(copied, edited.SegmentsReused, "part0 and part2 are copied when the transforms decided the same about them");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("edited"));
    }

    [TestMethod]
    public void A_source_whose_decisions_change_is_packed_again()
    {
        // A larger part1 moves the sample budget's cut over every sample, so which samples each source keeps (its
        // decisions) changes even where its file did not.
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, "mixing.max_samples=150");
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);

        Generate(temp, "part1", count: 120, seed: 78);
        var edited = RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);
        RecipeCompiler.Compile(recipe, temp.Combine("clean"), new CompileOptions());

        Assert.AreEqual(0, edited.SegmentsReused, "the budget kept other samples of every source");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("edited"));
    }

    [TestMethod]
    public void Each_source_fills_shards_of_its_own()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, string.Empty);

        var result = RecipeCompiler.Compile(recipe, temp.Combine("out"), new CompileOptions());

        // 60 conversations a source fit one shard of 2048 rows many times over: three shards mean three segments.
        Assert.AreEqual(3, result.Manifest.Shards.Count);
        Assert.AreEqual(3, result.Manifest.Stages.Keys.Count(k => k.StartsWith(PackedStore.Stage + "/", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void A_weight_change_and_back_copies_every_source_and_matches_a_clean_compile()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, string.Empty);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        var other = RecipeLoader.Load(recipe.FilePath, "capabilities.retrieval=0.9").Recipe!;

        var changed = RecipeCompiler.Compile(other, temp.Combine("changed"), cached);
        var back = RecipeCompiler.Compile(recipe, temp.Combine("back"), cached);

        Assert.IsTrue(changed.SamplesStageReused);
        Assert.AreEqual(0, changed.SegmentsReused, "other weights, other rows");
        Assert.IsTrue(back.SamplesStageReused);
        Assert.AreEqual(3, back.SegmentsReused, "nothing is packed again");
        SampleStoreTests.AssertSameTree(temp.Combine("first"), temp.Combine("back"));
    }

    [TestMethod]
    public void After_an_edit_a_weight_change_still_reuses_the_samples_stage()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, string.Empty);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        Generate(temp, "part2", count: 60, seed: 79);
        RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);
        var other = RecipeLoader.Load(recipe.FilePath, "capabilities.retrieval=0.9").Recipe!;

        var changed = RecipeCompiler.Compile(other, temp.Combine("changed"), cached);
        RecipeCompiler.Compile(other, temp.Combine("clean"), new CompileOptions());

        Assert.IsTrue(changed.SamplesStageReused, "the edit left every source's part of the samples stage");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("changed"));
    }

    [TestMethod]
    public void A_damaged_packed_entry_is_a_miss_with_a_warning()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, string.Empty);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        var entries = Directory.EnumerateFiles(temp.Combine("cache", PackedStore.Stage), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.AreEqual(3, entries.Count);
        var bytes = File.ReadAllBytes(entries[1]);
        bytes[bytes.Length / 3] ^= 0x10;
        File.WriteAllBytes(entries[1], bytes);

        var again = RecipeCompiler.Compile(recipe, temp.Combine("again"), cached);

        Assert.AreEqual(2, again.SegmentsReused);
        Assert.IsTrue(again.Diagnostics.Any(d => d.Code == DiagnosticCodes.CacheEntryCorrupt));
        SampleStoreTests.AssertSameTree(temp.Combine("first"), temp.Combine("again"));
        Assert.AreEqual(3, RecipeCompiler.Compile(recipe, temp.Combine("third"), cached).SegmentsReused, "the damaged entry was stored again");
    }

    [TestMethod]
    public void A_damaged_or_missing_shard_blob_is_a_miss_and_the_compile_starts_again_without_it()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, string.Empty);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        var blobs = temp.Combine("cache", PackedStore.ShardStage);
        Assert.AreEqual(first.Manifest.Shards.SelectMany(s => new[] { s.Sha256, s.MaskSha256 }).Distinct().Count(), Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count(), "one blob per shard file, named by its hash");

        // A blob is a name for the output's bytes (a hard link here): writing into it in place, as an outside tool might, damages it.
        var damaged = Path.Combine(blobs, first.Manifest.Shards[0].Sha256[..2], first.Manifest.Shards[0].Sha256);
        using (var stream = new FileStream(damaged, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 100;
            stream.WriteByte(0x5A);
        }

        File.Delete(Path.Combine(blobs, first.Manifest.Shards[2].Sha256[..2], first.Manifest.Shards[2].Sha256));

        var again = RecipeCompiler.Compile(recipe, temp.Combine("again"), cached);
        RecipeCompiler.Compile(recipe, temp.Combine("clean"), new CompileOptions());

        Assert.IsTrue(again.Diagnostics.Any(d => d.Code == DiagnosticCodes.CacheEntryCorrupt), "the damaged blob is reported");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("again"));
        Assert.AreEqual(3, RecipeCompiler.Compile(recipe, temp.Combine("third"), cached).SegmentsReused, "the blobs were stored again");
    }

    [TestMethod]
    public void A_token_budget_packs_every_sample_together_and_stores_no_segment()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp, ThreeSources, "mixing.max_tokens=20000");
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };

        var result = RecipeCompiler.Compile(recipe, temp.Combine("out"), cached);
        RecipeCompiler.Compile(recipe, temp.Combine("clean"), new CompileOptions());

        Assert.IsFalse(Directory.Exists(temp.Combine("cache", PackedStore.Stage)));
        Assert.AreEqual(1, result.Manifest.Shards.Count);
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("out"));
    }

    internal static Recipe Write(TempDirectory temp, string recipe, string overrides)
    {
        for (int s = 0; s < 3; s++)
        {
            Generate(temp, $"part{s}", count: 60, seed: 50 + s);
        }

        var path = temp.WriteFile("r.recipe.yaml", recipe);
        return RecipeLoader.Load(path, overrides.Length == 0 ? null : overrides).Recipe!;
    }

    internal static void Generate(TempDirectory temp, string name, int count, int seed) =>
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = count, Seed = seed }), temp.Combine("data", $"{name}.jsonl"));
}
