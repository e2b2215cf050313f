using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class ReadStoreTests
{
    public static IEnumerable<object[]> Formats => CorpusWriter.FormatNames.Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void Conversations_from_the_read_stage_compile_to_the_same_bytes_as_reading_the_file(string format)
    {
        using var temp = new TempDirectory();
        Assert.IsTrue(CorpusWriter.TryParseFormat(format, out var corpusFormat));
        var data = temp.Combine("data", CorpusWriter.DefaultFileName(corpusFormat));
        CorpusWriter.Write(corpusFormat, SyntheticCorpus.Generate(new SyntheticOptions { Count = 150, Seed = 21 }), data, new CorpusWriterOptions { InjectDefects = true, Seed = 4 });
        var path = temp.WriteFile("r.recipe.yaml", $$"""
            seed: 3
            sources:
              - {name: corpus, format: {{format}}, path: data/{{CorpusWriter.DefaultFileName(corpusFormat)}}, tolerance: 0.5}
            negatives:
              ratio: 0.2
            sequence:
              length: 2048
              over_length: drop
            """);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(RecipeLoader.Load(path).Recipe!, temp.Combine("first"), cached);

        // Another transform setting: the samples stage misses, the read stage hits.
        var changed = RecipeLoader.Load(path, "negatives.ratio=0.3").Recipe!;
        var reused = RecipeCompiler.Compile(changed, temp.Combine("reused"), cached);
        RecipeCompiler.Compile(changed, temp.Combine("fresh"), new CompileOptions());

        Assert.AreEqual(1, reused.SourcesFromCache);
        Assert.IsFalse(reused.SamplesStageReused);
        SampleStoreTests.AssertSameTree(temp.Combine("fresh"), temp.Combine("reused"));
    }

    [TestMethod]
    public void Editing_one_of_two_sources_reads_only_that_one()
    {
        using var temp = new TempDirectory();
        var recipe = TwoSources(temp, count: 100, seed: 40);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        Assert.AreEqual(0, RecipeCompiler.Compile(recipe, temp.Combine("first"), cached).SourcesFromCache);
        var unchanged = RebuildExplanation.Stages(recipe, temp.Combine("cache"));
        StringAssert.StartsWith(unchanged[0], "samples: cached");
        CollectionAssert.AreEqual(new[] { "packed part0: cached for these settings; its shards are copied", "packed part1: cached for these settings; its shards are copied" }, unchanged.Skip(1).ToList());

        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 100, Seed = 99 }), temp.Combine("data", "part1.jsonl"));
        var plan = RebuildExplanation.Stages(recipe, temp.Combine("cache"));
        Assert.AreEqual("read part0: cached", plan[0]);
        StringAssert.StartsWith(plan[1], "read part1: will read 1 file(s)");
        StringAssert.StartsWith(plan[2], "samples: will rebuild");
        var withManifest = RebuildExplanation.Stages(recipe, temp.Combine("cache"), temp.Combine("first", RecipeCompiler.ManifestFileName));
        StringAssert.StartsWith(withManifest[2], "packed part0: the last compile's shards are cached");
        Assert.AreEqual("packed part1: will pack again (its files changed)", withManifest[3]);
        var edited = RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);
        RecipeCompiler.Compile(recipe, temp.Combine("fresh"), new CompileOptions());

        Assert.AreEqual(1, edited.SourcesFromCache);
        Assert.AreEqual(1, edited.SegmentsReused, "part0's shards come from the packed stage");
        Assert.AreEqual(0, edited.SamplesFromCache, "nothing of part0 is tokenized or looked up");
        SampleStoreTests.AssertSameTree(temp.Combine("fresh"), temp.Combine("edited"));
    }

    [TestMethod]
    public void A_tighter_tolerance_fails_even_when_the_read_comes_from_the_cache()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data", "chats.jsonl");
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 40, Seed = 1 }), data);
        File.AppendAllText(data, "{ broken\n{ broken again\n");
        var path = temp.WriteFile("r.recipe.yaml", """
            sources:
              - {name: chats, format: openai, path: data/chats.jsonl, tolerance: 0.5}
            sequence:
              length: 2048
            """);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(RecipeLoader.Load(path).Recipe!, temp.Combine("first"), cached);

        var strict = RecipeLoader.Load(path, "sources[0].tolerance=0.01").Recipe!;
        var error = Assert.ThrowsExactly<DiagnosticException>(() => RecipeCompiler.Compile(strict, temp.Combine("strict"), cached));

        Assert.AreEqual(DiagnosticCodes.SourceOverTolerance, error.Diagnostics[0].Code);
        StringAssert.Contains(error.Diagnostics[0].Message, "data/chats.jsonl(41)", "the reason names the first bad line, as a fresh read does");
    }

    /// <summary>
    /// Three file sources the read stage lacks (one with defects, so with a quarantine file) are read into it two at a
    /// time before the conversations stream: the outputs are the bytes of a compile that reads them in turn without a
    /// cache, and none of them counts as reused.
    /// </summary>
    [TestMethod]
    public void Sources_read_ahead_on_two_threads_compile_to_the_bytes_of_reading_them_in_turn()
    {
        using var temp = new TempDirectory();
        for (int s = 0; s < 3; s++)
        {
            CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 80, Seed = 60 + s }), temp.Combine("data", $"part{s}.jsonl"), new CorpusWriterOptions { InjectDefects = s == 1, Seed = 2 });
        }

        var recipe = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", """
            sources:
              - {name: part0, format: openai, path: data/part0.jsonl}
              - {name: part1, format: openai, path: data/part1.jsonl, tolerance: 0.5}
              - {name: part2, format: openai, path: data/part2.jsonl}
            negatives:
              ratio: 0.2
            sequence:
              length: 2048
              over_length: drop
            """)).Recipe!;
        var ahead = RecipeCompiler.Compile(recipe, temp.Combine("ahead"), new CompileOptions { CacheDirectory = temp.Combine("cache"), Threads = 2 });
        RecipeCompiler.Compile(recipe, temp.Combine("in-turn"), new CompileOptions { Threads = 1 });

        Assert.AreEqual(0, ahead.SourcesFromCache);
        Assert.IsTrue(File.Exists(temp.Combine("ahead", "quarantine", "part1.jsonl")), "the defective source quarantined records");
        SampleStoreTests.AssertSameTree(temp.Combine("in-turn"), temp.Combine("ahead"));
    }

    /// <summary>Two sources read ahead both fail their tolerance: the compile reports the first in recipe order, as reading in turn would.</summary>
    [TestMethod]
    public void Of_two_sources_read_ahead_that_fail_the_first_in_recipe_order_is_reported()
    {
        using var temp = new TempDirectory();
        for (int s = 0; s < 3; s++)
        {
            var data = temp.Combine("data", $"part{s}.jsonl");
            CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 30, Seed = 70 + s }), data);
            if (s > 0)
            {
                File.AppendAllText(data, string.Concat(Enumerable.Repeat("{ broken\n", 10 * s)));
            }
        }

        var recipe = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", """
            sources:
              - {name: part0, format: openai, path: data/part0.jsonl}
              - {name: part1, format: openai, path: data/part1.jsonl, tolerance: 0.01}
              - {name: part2, format: openai, path: data/part2.jsonl, tolerance: 0.01}
            sequence:
              length: 2048
            """)).Recipe!;
        var error = Assert.ThrowsExactly<DiagnosticException>(() => RecipeCompiler.Compile(recipe, temp.Combine("out"), new CompileOptions { CacheDirectory = temp.Combine("cache"), Threads = 2 }));

        Assert.AreEqual(DiagnosticCodes.SourceOverTolerance, error.Diagnostics[0].Code);
        StringAssert.Contains(error.Diagnostics[0].Message, "'part1'");
    }

    /// <summary>A compile cancelled before it starts reading ahead stops with no read entry published and no temp file left.</summary>
    [TestMethod]
    public void Cancelling_a_compile_that_reads_ahead_publishes_no_read_entry()
    {
        using var temp = new TempDirectory();
        var recipe = TwoSources(temp, count: 50, seed: 80);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsExactly<OperationCanceledException>(() => RecipeCompiler.Compile(recipe, temp.Combine("out"), new CompileOptions { CacheDirectory = temp.Combine("cache"), Threads = 2 }, cancel.Token));
        var read = temp.Combine("cache", AgentFlan.Caching.ReadStore.Stage);
        Assert.IsFalse(Directory.Exists(read) && Directory.EnumerateFiles(read, "*", SearchOption.AllDirectories).Any(), "nothing was published or left behind");
    }

    /// <summary>A recipe over two OpenAI files of <paramref name="count"/> synthetic conversations (seeds <paramref name="seed"/> and the next).</summary>
    private static Recipe TwoSources(TempDirectory temp, int count, int seed)
    {
        for (int s = 0; s < 2; s++)
        {
            CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = count, Seed = seed + s }), temp.Combine("data", $"part{s}.jsonl"));
        }

        return RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", """
            sources:
              - {name: part0, format: openai, path: data/part0.jsonl}
              - {name: part1, format: openai, path: data/part1.jsonl}
            sequence:
              length: 2048
            """)).Recipe!;
    }
}
