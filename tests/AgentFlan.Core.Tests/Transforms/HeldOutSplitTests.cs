using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Evaluation;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class HeldOutSplitTests
{
    private static List<Conversation> Corpus(int perSource) =>
    [
        .. Enumerable.Range(0, perSource).Select(i => TransformCorpus.General($"a-{i}", $"question {i}", "answer") with { Provenance = new Provenance("a") }),
        .. Enumerable.Range(0, perSource).Select(i => TransformCorpus.General($"b-{i}", $"question {i}", "answer") with { Provenance = new Provenance("b") }),
    ];

    [TestMethod]
    public void The_share_held_out_of_each_source_is_the_fraction_within_sampling_noise()
    {
        var bySource = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var (training, heldOut) = HeldOutSplit.Apply(Corpus(5000), 0.2, seed: 3, bySource);

        Assert.AreEqual(10_000, training.Count + heldOut.Count);
        foreach (var source in new[] { "a", "b" })
        {
            // Binomial(5000, 0.2): sd 28 conversations, so 0.02 (100) is more than three standard deviations.
            Assert.AreEqual(0.2, bySource[source] / 5000.0, 0.02, source);
            Assert.AreEqual(bySource[source], heldOut.Count(c => c.Provenance.Source == source));
        }

        Assert.IsFalse(training.Select(c => c.Id).Intersect(heldOut.Select(c => c.Id)).Any(), "a conversation is never in both parts");
    }

    [TestMethod]
    public void The_split_is_deterministic_independent_of_input_order_and_changes_with_the_seed()
    {
        var corpus = Corpus(500);
        var shuffled = corpus.OrderBy(c => c.Id.GetHashCode(StringComparison.Ordinal)).Reverse().ToList();

        var first = HeldOutSplit.Apply(corpus, 0.3, seed: 9).HeldOut.Select(c => c.Id).ToHashSet();
        var again = HeldOutSplit.Apply(corpus, 0.3, seed: 9).HeldOut.Select(c => c.Id).ToHashSet();
        var reordered = HeldOutSplit.Apply(shuffled, 0.3, seed: 9).HeldOut.Select(c => c.Id).ToHashSet();
        var alone = HeldOutSplit.Apply(corpus.Take(10).ToList(), 0.3, seed: 9).HeldOut.Select(c => c.Id).ToHashSet();
        var otherSeed = HeldOutSplit.Apply(corpus, 0.3, seed: 10).HeldOut.Select(c => c.Id).ToHashSet();

        Assert.IsTrue(first.SetEquals(again));
        Assert.IsTrue(first.SetEquals(reordered), "input order does not matter");
        Assert.IsTrue(alone.SetEquals(first.Where(id => corpus.Take(10).Any(c => c.Id == id))), "nor do the other conversations");
        Assert.IsFalse(first.SetEquals(otherSeed));
        Assert.IsEmpty(HeldOutSplit.Apply(corpus, 0, seed: 9).HeldOut);
    }

    [TestMethod]
    public void The_transforms_keep_held_out_conversations_out_of_training_and_count_them_per_source()
    {
        var recipe = TransformCorpus.Recipe(r => r with { HeldOut = new HeldOutSettings { Fraction = 0.4 } });
        var corpus = Enumerable.Range(0, 40).Select(i => TestConversations.ToolUse($"tool-{i}", $"City{i}")).ToList();

        var result = AgentFlanTransforms.Apply(recipe, corpus);

        Assert.IsTrue(result.HeldOut.Count is > 5 and < 30, $"{result.HeldOut.Count} of 40 held out");
        Assert.AreEqual(result.HeldOut.Count, result.Statistics.HeldOutBySource["test"]);
        var heldOutIds = result.HeldOut.Select(c => c.Id).ToHashSet();
        Assert.IsFalse(result.Conversations.Any(c => heldOutIds.Contains(c.Id.Split('#', '~')[0])), "no held-out conversation, nor anything built from one, is trained on");
    }

    [TestMethod]
    public void A_compile_writes_the_held_out_conversations_next_to_the_manifest_and_counts_them()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("h.recipe.yaml", "seed: 5\nsources:\n  - {name: syn, format: synthetic, count: 60}\nheld_out:\n  fraction: 0.25\nsequence:\n  length: 1024\n");
        var loaded = RecipeLoader.Load(path);
        Assert.IsFalse(loaded.Diagnostics.Any(d => d.Code == DiagnosticCodes.NotYetApplied), "held_out.fraction is applied: no AFB0010");

        var result = RecipeCompiler.Compile(loaded.Recipe!, temp.Combine("out"), threads: 1);

        var heldOut = HeldOutFile.Read(result.ManifestPath);
        Assert.AreEqual(result.Manifest.Statistics.Transforms.HeldOutBySource["syn"], heldOut.Count);
        Assert.IsTrue(heldOut.Count is > 5 and < 30, $"{heldOut.Count} of 60");
        Assert.IsLessThanOrEqualTo(60 - heldOut.Count, result.Manifest.Statistics.Conversations, "only the rest is trained on");
        StringAssert.Contains(File.ReadAllText(temp.Combine("out", RecipeCompiler.ReportFileName)), "held out of training for the evaluation");

        var none = RecipeLoader.Load(path, "held_out.fraction=0").Recipe!;
        RecipeCompiler.Compile(none, temp.Combine("out"), threads: 1);
        Assert.IsFalse(File.Exists(HeldOutFile.PathFor(result.ManifestPath)), "no fraction, no held-out file (a stale one is removed)");
    }

    [TestMethod]
    public void The_held_out_file_round_trips_conversations_with_tools_calls_and_kinds()
    {
        using var temp = new TempDirectory();
        var conversations = new List<Conversation>
        {
            TestConversations.ToolUse("t1") with { Kind = ConversationKind.AgentReact, Provenance = new Provenance("src", "data/a.jsonl", 3) },
            TestConversations.Chat("c1"),
        };

        HeldOutFile.Write(temp.Path, conversations);
        var read = HeldOutFile.Read(Path.Combine(temp.Path, "manifest.json"));
        HeldOutFile.Write(temp.Combine("again"), read);

        Assert.AreEqual(File.ReadAllText(temp.Combine(HeldOutFile.FileName)), File.ReadAllText(temp.Combine("again", HeldOutFile.FileName)));
        Assert.AreEqual(ConversationKind.AgentReact, read[0].Kind);
        Assert.AreEqual(ConversationKind.General, read[1].Kind);
        Assert.AreEqual("get_weather", read[0].Messages[1].ToolCalls[0].Name);
        Assert.AreEqual("t1", read[0].Id);
        Assert.AreEqual(new Provenance("src", "data/a.jsonl", 3), read[0].Provenance);
        Assert.AreEqual("get_weather", read[0].Tools[0].Name);
    }
}
