using AgentFlan.Caching;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Shards;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class RowsStoreTests
{
    [TestMethod]
    public void A_weight_change_writes_only_masks_and_the_bytes_of_a_clean_compile()
    {
        using var temp = new TempDirectory();
        var recipe = PackedStoreTests.Write(temp, PackedStoreTests.ThreeSources, "negatives.ratio=0.3");
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        var other = RecipeLoader.Load(recipe.FilePath, "negatives.ratio=0.3;capabilities.retrieval=0.9;capabilities.understanding=0.2").Recipe!;

        var explained = RebuildExplanation.Stages(other, temp.Combine("cache"));
        var changed = RecipeCompiler.Compile(other, temp.Combine("changed"), cached);
        RecipeCompiler.Compile(other, temp.Combine("clean"), new CompileOptions());

        StringAssert.StartsWith(explained[0], "samples: cached");
        CollectionAssert.AreEqual(new[] { "part0", "part1", "part2" }, explained.Skip(1).Select(line => line.Split(' ')[1].TrimEnd(':')).ToList());
        Assert.IsTrue(explained.Skip(1).All(line => line.StartsWith("rows ", StringComparison.Ordinal) && line.Contains("writes only those", StringComparison.Ordinal)), string.Join("\n", explained));
        Assert.AreEqual(3, changed.SegmentsMaskOnly, changed.CacheSummary);
        StringAssert.Contains(changed.CacheSummary, "token files of 3 of 3 sources reused");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("changed"));

        // The three sources' token files are the first compile's; their masks are not.
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(first.Manifest.Shards[i].Sha256, changed.Manifest.Shards[i].Sha256);
            Assert.AreNotEqual(first.Manifest.Shards[i].MaskSha256, changed.Manifest.Shards[i].MaskSha256);
        }

        var back = RecipeCompiler.Compile(recipe, temp.Combine("back"), cached);
        Assert.AreEqual(3, back.SegmentsReused, "the first weights' packed entries are still there");
        var again = RecipeCompiler.Compile(other, temp.Combine("again"), cached);
        Assert.AreEqual(3, again.SegmentsReused, "the mask-only compile stored packed entries too");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("again"));
    }

    [TestMethod]
    public void Weights_that_leave_out_other_samples_compile_again_without_the_token_files()
    {
        // Instruction following weighed to 0 takes the end-of-turn marker's loss away too: samples whose supervision was
        // all agent scaffolding keep no supervised token and are left out, so the rows change.
        using var temp = new TempDirectory();
        var recipe = PackedStoreTests.Write(temp, PackedStoreTests.ThreeSources, string.Empty);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        const string overrides = "capabilities.reasoning=0;capabilities.retrieval=0;capabilities.understanding=0;capabilities.instruction_following=0";
        var other = RecipeLoader.Load(recipe.FilePath, overrides).Recipe!;

        var changed = RecipeCompiler.Compile(other, temp.Combine("changed"), cached);
        RecipeCompiler.Compile(other, temp.Combine("clean"), new CompileOptions());

        Assert.IsTrue(changed.Manifest.Statistics.Unsupervised > first.Manifest.Statistics.Unsupervised, "the weights left samples without a supervised token");
        Assert.AreEqual(0, changed.SegmentsMaskOnly, "packed in full after the rows turned out different");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("changed"));
        Assert.IsFalse(Directory.EnumerateFiles(temp.Combine("changed"), "*.tmp", SearchOption.AllDirectories).Any(), "no taken token file is left behind");

        var again = RecipeLoader.Load(recipe.FilePath, overrides + ";capabilities.retrieval=0.01").Recipe!;
        var similar = RecipeCompiler.Compile(again, temp.Combine("similar"), cached);
        RecipeCompiler.Compile(again, temp.Combine("similar-clean"), new CompileOptions());
        SampleStoreTests.AssertSameTree(temp.Combine("similar-clean"), temp.Combine("similar"));
    }

    [TestMethod]
    public void A_damaged_token_file_blob_is_reported_and_the_compile_writes_it_again()
    {
        using var temp = new TempDirectory();
        var recipe = PackedStoreTests.Write(temp, PackedStoreTests.ThreeSources, string.Empty);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        var blob = temp.Combine("cache", PackedStore.ShardStage, first.Manifest.Shards[1].Sha256[..2], first.Manifest.Shards[1].Sha256);
        using (var stream = new FileStream(blob, FileMode.Open, FileAccess.Write))
        {
            stream.Position = ShardFormat.HeaderSize + 10;
            stream.WriteByte(0x5A);
        }

        var other = RecipeLoader.Load(recipe.FilePath, "capabilities.retrieval=0.9").Recipe!;
        var changed = RecipeCompiler.Compile(other, temp.Combine("changed"), cached);
        RecipeCompiler.Compile(other, temp.Combine("clean"), new CompileOptions());

        Assert.IsTrue(changed.Diagnostics.Any(d => d.Code == DiagnosticCodes.CacheEntryCorrupt), "the damaged blob is reported");
        SampleStoreTests.AssertSameTree(temp.Combine("clean"), temp.Combine("changed"));
        Assert.IsFalse(Directory.EnumerateFiles(temp.Combine("changed"), "*.tmp", SearchOption.AllDirectories).Any(), "no taken token file is left behind");
    }
}
