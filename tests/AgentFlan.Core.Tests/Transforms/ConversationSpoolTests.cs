using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Core.Tests.Caching;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Transforms;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class ConversationSpoolTests
{
    [TestMethod]
    public void A_spilled_spool_reads_back_the_same_conversations_every_time_and_deletes_its_file()
    {
        using var temp = new TempDirectory();
        var corpus = TransformCorpus.Synthetic(120);
        string file;
        using (var spool = new ConversationSpool(budgetBytes: 20_000, spillDirectory: temp.Path))
        {
            corpus.ForEach(spool.Add);
            Assert.IsTrue(spool.Spilled, "120 conversations are well past a 20 kB budget");
            file = Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories).Single();
            for (int pass = 0; pass < 2; pass++)
            {
                var read = spool.Read().ToList();
                Assert.HasCount(corpus.Count, read);
                CollectionAssert.AreEqual(corpus.Select(Describe).ToList(), read.Select(Describe).ToList(), $"pass {pass}");
            }
        }

        Assert.IsFalse(File.Exists(file), "the spool file goes with the spool");
    }

    [TestMethod]
    public void Without_a_spill_directory_the_spool_stays_in_memory_whatever_the_budget()
    {
        using var spool = new ConversationSpool(budgetBytes: 0);
        TransformCorpus.Small().ForEach(spool.Add);
        Assert.IsFalse(spool.Spilled);
        Assert.AreEqual(11, spool.Read().Count());
    }

    /// <summary>
    /// A source adopted by the spool (one the read stage serves) is only counted; each pass replays it in its place
    /// between the stored sources, whether those are in memory or in the temp file; the spool disposes its owner.
    /// </summary>
    [TestMethod]
    [DataRow(0L)]
    [DataRow(1L << 30)]
    public void An_adopted_source_is_replayed_in_its_place_between_stored_ones(long budget)
    {
        using var temp = new TempDirectory();
        var corpus = TransformCorpus.Synthetic(90);
        List<Conversation> Source(string name, int skip) =>
            [.. corpus.Skip(skip).Take(30).Select(c => c with { Provenance = c.Provenance with { Source = name } })];
        var (a, b, c) = (Source("a", 0), Source("b", 30), Source("c", 60));
        var owner = new Owner();
        int replays = 0;
        using (var spool = new ConversationSpool(budget, temp.Path))
        {
            spool.Adopt("b", () => { replays++; return b.Select(x => x with { }); }, owner);
            a.Concat(b).Concat(c).ToList().ForEach(spool.Add);
            Assert.AreEqual(budget == 0, spool.Spilled);
            Assert.AreEqual(90, spool.Count);
            for (int pass = 0; pass < 2; pass++)
            {
                CollectionAssert.AreEqual(a.Concat(b).Concat(c).Select(Describe).ToList(), spool.Read().Select(Describe).ToList(), $"pass {pass}");
            }

            Assert.AreEqual(2, replays);
            Assert.IsFalse(owner.Disposed);
        }

        Assert.IsTrue(owner.Disposed, "the spool disposes what keeps a replay readable");
    }

    [TestMethod]
    public void A_replay_that_gives_another_number_of_conversations_fails_instead_of_shifting_the_rest()
    {
        using var spool = new ConversationSpool();
        var corpus = TransformCorpus.Synthetic(10).Select(c => c with { Provenance = c.Provenance with { Source = "a" } }).ToList();
        spool.Adopt("a", () => corpus.Take(9), new Owner());
        corpus.ForEach(spool.Add);
        Assert.ThrowsExactly<InvalidOperationException>(() => spool.Read().ToList());
    }

    /// <summary>
    /// Every transform on (duplicates, a negatives source, weights above and below 1, held-out split with its
    /// decontamination, format-following, both negative kinds, general ratio, sample budget): the compile spooled
    /// to disk from the first conversation, examining conversations on a second thread, writes exactly the bytes of
    /// the one-thread compile that keeps them in memory.
    /// </summary>
    [TestMethod]
    [DataRow(0)]
    [DataRow(90)]
    public void A_compile_spooled_to_disk_writes_the_same_bytes_as_one_in_memory(int maxSamples)
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data", "chats.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        var chats = SyntheticCorpus.Generate(new SyntheticOptions { Count = 70, Seed = 3 }).ToList();
        CorpusWriter.Write(CorpusFormat.OpenAi, [.. chats, .. chats.Take(5)], data);
        var recipe = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", $"""
            seed: 5
            sources:
              - name: chats
                format: openai
                path: data/chats.jsonl
                weight: 1.5
              - name: synth
                format: synthetic
                count: 80
                weight: 0.7
            alignment:
              format_following_count: 12
            negatives:
              ratio: 0.3
            held_out:
              fraction: 0.1
            mixing:
              general_ratio: 1.0
              max_samples: {maxSamples}
            sequence:
              length: 512
            """)).Recipe!;

        var memory = RecipeCompiler.Compile(recipe, temp.Combine("memory"), new CompileOptions { Threads = 1 });
        var spooled = RecipeCompiler.Compile(recipe, temp.Combine("spooled"), new CompileOptions { Threads = 2, SpoolBudgetBytes = 0 });

        var t = memory.Manifest.Statistics.Transforms;
        Assert.IsTrue(t.DuplicatesBySource.Values.Sum() >= 5 && t.HeldOutBySource.Count > 0 && t.WeightAdded > 0 && t.WeightRemoved > 0, "the corpus exercises every transform");
        Assert.IsTrue(t.NegativesByKind.GetValueOrDefault("irrelevant_tools") > 0 && t.NegativesByKind.GetValueOrDefault("no_tools") > 0 && t.FormatFollowingByFormat.Count == 2);
        Assert.AreEqual(maxSamples > 0, t.SampleBudgetRemoved > 0);
        SampleStoreTests.AssertSameTree(temp.Combine("memory"), temp.Combine("spooled"));
        Assert.IsEmpty(Directory.EnumerateFiles(temp.Combine("spooled"), "*.tmp", SearchOption.AllDirectories), "no spool file is left behind");
    }

    [TestMethod]
    public void The_transforms_decide_the_same_whether_the_spool_is_in_memory_or_on_disk()
    {
        using var temp = new TempDirectory();
        var recipe = TransformCorpus.SyntheticRecipe(r => r with { HeldOut = new HeldOutSettings { Fraction = 0.05 }, Mixing = new MixingSettings { GeneralRatio = 0.7, MaxSamples = 300 } });
        var corpus = TransformCorpus.Synthetic(400);
        var expected = AgentFlanTransforms.Apply(recipe, corpus);

        using var spool = new ConversationSpool(budgetBytes: 0, spillDirectory: temp.Path);
        var plan = TransformPlan.Create(recipe, corpus, spool, threads: 2);
        Assert.IsTrue(spool.Spilled);
        CollectionAssert.AreEqual(expected.Conversations.Select(Describe).ToList(), plan.Conversations().Select(Describe).ToList());
        CollectionAssert.AreEqual(expected.HeldOut.Select(Describe).ToList(), plan.HeldOut.Select(Describe).ToList());
        Assert.AreEqual(
            System.Text.Json.JsonSerializer.Serialize(expected.Statistics, DatasetManifest.JsonOptions),
            System.Text.Json.JsonSerializer.Serialize(plan.Statistics, DatasetManifest.JsonOptions));
    }

    /// <summary>
    /// Without <c>max_samples</c> the irrelevant-tools candidates are read during the last pass (one pass fewer);
    /// with it, in a pass of their own before it. Both give the same samples and statistics.
    /// </summary>
    [TestMethod]
    public void Irrelevant_tools_negatives_are_the_same_whether_decided_in_the_last_pass_or_before_it()
    {
        using var temp = new TempDirectory();
        var corpus = TransformCorpus.Synthetic(300);
        var recipe = TransformCorpus.SyntheticRecipe(r => r with { Negatives = new NegativeSettings { Ratio = 0.6, Kinds = ["irrelevant_tools", "no_tools"] } });
        using var deferredSpool = new ConversationSpool(budgetBytes: 0, spillDirectory: temp.Path);
        var deferred = TransformPlan.Create(recipe, corpus, deferredSpool);
        Assert.ThrowsExactly<InvalidOperationException>(() => deferred.Statistics, "the statistics wait for the last pass");
        var lastPass = deferred.Conversations().Select(Describe).ToList();

        var separate = AgentFlanTransforms.Apply(recipe with { Mixing = recipe.Mixing with { MaxSamples = 1_000_000 } }, corpus);
        CollectionAssert.AreEqual(separate.Conversations.Select(Describe).ToList(), lastPass);
        Assert.IsTrue(deferred.Statistics.NegativesByKind["irrelevant_tools"] > 50);
        Assert.AreEqual(
            System.Text.Json.JsonSerializer.Serialize(separate.Statistics, DatasetManifest.JsonOptions),
            System.Text.Json.JsonSerializer.Serialize(deferred.Statistics, DatasetManifest.JsonOptions));
    }

    /// <summary>Cancelled while the examiner thread works a batch behind the reader: the plan stops promptly, no thread is left waiting.</summary>
    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    public void Cancelling_while_reading_on_two_threads_stops_without_hanging()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var corpus = TransformCorpus.Synthetic(2000);
        IEnumerable<Conversation> Cancelling()
        {
            for (int i = 0; i < corpus.Count; i++)
            {
                if (i == 1500)
                {
                    cancel.Cancel();
                }

                yield return corpus[i];
            }
        }

        using (var spool = new ConversationSpool(budgetBytes: 0, spillDirectory: temp.Path))
        {
            Assert.ThrowsExactly<OperationCanceledException>(() => TransformPlan.Create(TransformCorpus.SyntheticRecipe(), Cancelling(), spool, threads: 2, cancellationToken: cancel.Token));
        }

        Assert.IsEmpty(Directory.EnumerateFiles(temp.Path, "*", SearchOption.AllDirectories), "the spool file goes with the spool");
    }

    private static string Describe(Conversation c) =>
        $"{c.Id}|{c.Kind}|{c.Provenance.Source}|{string.Join(",", c.Tools.Select(t => t.Name))}|{Deduplicator.Key(c)}";

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
