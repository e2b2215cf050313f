using AgentFlan.Caching;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Hashing;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class ExaminationMemoTests
{
    [TestMethod]
    public void An_examination_reads_back_as_remembered_with_and_without_contamination()
    {
        using var temp = new TempDirectory();
        var memo = new ExaminationMemo(new StageCache(temp.Path), new Dictionary<string, string> { ["a"] = "read-key-a", ["b"] = "read-key-b" });
        Digest128[] keys = [.. Enumerable.Range(0, 19).Select(i => new Digest128((ulong)i * 7, ulong.MaxValue - (ulong)i))];
        bool[] contaminated = [.. Enumerable.Range(0, 19).Select(i => i % 3 == 0)];
        memo.Remember("a", new SourceExamination(keys, "queries-1", contaminated));
        memo.Remember("b", new SourceExamination(keys, null, null));
        memo.Remember("synthetic", new SourceExamination(keys, null, null));

        var a = memo.Find("a")!;
        CollectionAssert.AreEqual(keys, a.Keys.ToArray());
        Assert.AreEqual("queries-1", a.ContaminationIdentity);
        CollectionAssert.AreEqual(contaminated, a.Contaminated!.ToArray());
        var b = memo.Find("b")!;
        Assert.IsNull(b.ContaminationIdentity);
        Assert.IsNull(b.Contaminated);
        Assert.IsNull(memo.Find("synthetic"), "a source without a read key is not remembered");
        Assert.AreEqual(2, memo.Reused);
    }

    [TestMethod]
    public void A_prefetched_examination_reads_back_as_a_found_one_and_is_counted_once()
    {
        using var temp = new TempDirectory();
        var readKeys = new Dictionary<string, string> { ["a"] = "read-key-a", ["b"] = "read-key-b" };
        var memo = new ExaminationMemo(new StageCache(temp.Path), readKeys);
        Digest128[] keys = [.. Enumerable.Range(0, 11).Select(i => new Digest128((ulong)i, (ulong)i * 3))];
        memo.Remember("a", new SourceExamination(keys, null, null));

        var later = new ExaminationMemo(new StageCache(temp.Path), readKeys);
        later.Prefetch(["a", "b", "synthetic"]);
        CollectionAssert.AreEqual(keys, later.Find("a")!.Keys.ToArray());
        Assert.IsNull(later.Find("b"), "nothing remembered");
        Assert.IsNull(later.Find("synthetic"), "no read key");
        Assert.AreEqual(1, later.Reused);
        CollectionAssert.AreEqual(keys, later.Find("a")!.Keys.ToArray(), "taken once, then read again");
    }

    [TestMethod]
    public void Evaluation_queries_are_built_once_per_identity()
    {
        using var temp = new TempDirectory();
        var memo = new ExaminationMemo(new StageCache(temp.Path), new Dictionary<string, string>());
        int built = 0;
        IReadOnlyList<string> Build()
        {
            built++;
            return ["What is the weather in Paris?", "line one\nline two", string.Empty];
        }

        var first = memo.Queries("seed 1", Build);
        var again = new ExaminationMemo(new StageCache(temp.Path), new Dictionary<string, string>()).Queries("seed 1", Build);
        memo.Queries("seed 2", Build);

        CollectionAssert.AreEqual(first.ToArray(), again.ToArray());
        Assert.AreEqual(2, built, "built for seed 1 and seed 2, read back for seed 1 the second time");
    }

    [TestMethod]
    public void The_facts_of_each_conversation_read_back_as_remembered()
    {
        using var temp = new TempDirectory();
        var memo = new ExaminationMemo(new StageCache(temp.Path), new Dictionary<string, string> { ["a"] = "read-key-a" });
        Digest128[] keys = [.. Enumerable.Range(0, 5).Select(i => new Digest128((ulong)i, (ulong)i))];
        (string Id, ConversationKind Kind, bool HasCalls, bool HasUser)[] facts = [.. Enumerable.Range(0, 5).Select(i => ($"id-{i}-é-\ud800-{new string('x', i * 40)}", (ConversationKind)(i % 3), i % 2 == 0, i % 3 == 0))];
        memo.Remember("a", new SourceExamination(keys, null, null) { Facts = ExaminedFactTable.Of(facts) });

        var read = memo.Find("a")!.Facts!;
        CollectionAssert.AreEqual(facts, Enumerable.Range(0, read.Count).Select(i => (read.Id(i).ToString(), read.Kind(i), read.HasCalls(i), read.HasUser(i))).ToArray());
    }

    /// <summary>
    /// Two file sources (one with exact duplicates across them and conversations that leak evaluation queries) and
    /// a synthetic one. After a transform setting changes, the read stage and the examinations are reused — the
    /// spool replays the file sources from their read entries, spilled or not — and the compile writes exactly
    /// the bytes of a compile without any cache. When the evaluation queries change, the remembered duplicate keys
    /// still serve, the contamination is checked again, and the bytes still match.
    /// </summary>
    [TestMethod]
    [DataRow(0L)]
    [DataRow(1L << 30)]
    public void A_compile_reusing_read_entries_and_examinations_writes_the_bytes_of_one_without_a_cache(long spoolBudget)
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("r.recipe.yaml", """
            seed: 4
            sources:
              - {name: chats, format: openai, path: data/chats.jsonl}
              - {name: more, format: openai, path: data/more.jsonl, weight: 1.5}
              - {name: synth, format: synthetic, count: 60}
            negatives:
              ratio: 0.2
            evaluation:
              samples: 40
            sequence:
              length: 1024
              over_length: drop
            """);
        var chats = SyntheticCorpus.Generate(new SyntheticOptions { Count = 90, Seed = 8 }).ToList();
        CorpusWriter.Write(CorpusFormat.OpenAi, chats, temp.Combine("data", "chats.jsonl"));
        CorpusWriter.Write(CorpusFormat.OpenAi, [.. SyntheticCorpus.Generate(new SyntheticOptions { Count = 70, Seed = 9 }), .. chats.Take(10)], temp.Combine("data", "more.jsonl"));
        var recipe = RecipeLoader.Load(path).Recipe!;
        var leaks = EvaluationSuites.Build(recipe.Seed, recipe.Evaluation.Samples, recipe.Evaluation.Suites).Take(6)
            .Select((c, i) => new Conversation($"leak-{i}", new Provenance("chats"), [], [Message.User(c.Query), Message.Assistant("ok")]));
        CorpusWriter.Write(CorpusFormat.OpenAi, [.. chats, .. leaks], temp.Combine("data", "chats.jsonl"));
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache"), SpoolBudgetBytes = spoolBudget, Threads = 2 };

        var cold = RecipeCompiler.Compile(recipe, temp.Combine("cold"), cached);
        Assert.AreEqual(0, cold.SourcesExaminedFromCache);
        var transforms = cold.Manifest.Statistics.Transforms;
        Assert.IsTrue(transforms.DecontaminatedBySource.GetValueOrDefault("chats") >= 5 && transforms.DuplicatesBySource.Values.Sum() >= 10, $"the corpus exercises both examinations: {string.Join(",", transforms.DecontaminatedBySource)} / {string.Join(",", transforms.DuplicatesBySource)}");

        var decontaminated = new List<long>();
        foreach (var overrides in new[] { new[] { "negatives.ratio=0.3" }, ["negatives.ratio=0.3", "seed=5"] })
        {
            var changed = RecipeLoader.Load(path, string.Join(";", overrides)).Recipe!;
            var name = string.Join("-", overrides).Replace('=', '_');
            var warm = RecipeCompiler.Compile(changed, temp.Combine("warm-" + name), cached);
            RecipeCompiler.Compile(changed, temp.Combine("fresh-" + name), new CompileOptions { Threads = 1 });

            Assert.IsFalse(warm.SamplesStageReused);
            Assert.AreEqual(2, warm.SourcesFromCache, name);
            Assert.AreEqual(2, warm.SourcesExaminedFromCache, name);
            Assert.AreEqual(spoolBudget == 0, warm.Spooled, "only the synthetic source is stored by the spool");
            SampleStoreTests.AssertSameTree(temp.Combine("fresh-" + name), temp.Combine("warm-" + name));
            decontaminated.Add(warm.Manifest.Statistics.Transforms.DecontaminatedBySource.GetValueOrDefault("chats"));
        }

        Assert.AreNotEqual(decontaminated[0], decontaminated[1], "the other queries find other contamination");
    }

    /// <summary>A damaged examined entry (cut short: a crash cannot leave one, a disk can) is reported, removed and computed again; the bytes are still exact.</summary>
    [TestMethod]
    public void A_damaged_examination_is_reported_and_computed_again()
    {
        using var temp = new TempDirectory();
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 60, Seed = 12 }), temp.Combine("data", "a.jsonl"));
        var path = temp.WriteFile("r.recipe.yaml", """
            sources:
              - {name: a, format: openai, path: data/a.jsonl}
            sequence:
              length: 2048
            """);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(RecipeLoader.Load(path).Recipe!, temp.Combine("first"), cached);
        var examined = Directory.GetFiles(temp.Combine("cache", ExaminationMemo.Stage), "*", SearchOption.AllDirectories);
        Assert.HasCount(1, examined);
        File.WriteAllBytes(examined[0], File.ReadAllBytes(examined[0])[..20]);

        var changed = RecipeLoader.Load(path, "negatives.ratio=0.2").Recipe!;
        var warm = RecipeCompiler.Compile(changed, temp.Combine("warm"), cached);
        RecipeCompiler.Compile(changed, temp.Combine("fresh"), new CompileOptions());

        Assert.AreEqual(0, warm.SourcesExaminedFromCache);
        Assert.IsTrue(warm.Diagnostics.Any(d => d.Code == AgentFlan.Diagnostics.DiagnosticCodes.CacheEntryCorrupt));
        SampleStoreTests.AssertSameTree(temp.Combine("fresh"), temp.Combine("warm"));
        Assert.AreEqual(1, RecipeCompiler.Compile(RecipeLoader.Load(path, "negatives.ratio=0.3").Recipe!, temp.Combine("again"), cached).SourcesExaminedFromCache, "the examination was remembered again");
    }
}
