using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class ParallelTokenizerTests
{
    private static readonly LoadedTokenizer Gpt2 = TokenizerLoader.Load(new TokenizerSettings());

    private static IEnumerable<Conversation> Corpus(int count) => Enumerable.Range(0, count).Select(i => i % 3 == 0
        ? TestConversations.Chat($"chat-{i}", string.Concat(Enumerable.Repeat($"Answer {i}. ", i % 70)))
        : TestConversations.ToolUse($"tool-{i}", $"City{i}"));

    [TestMethod]
    public void Any_thread_count_yields_the_same_results_in_input_order()
    {
        var tokenizer = Tokenizer();
        var expected = tokenizer.TokenizeAll(Corpus(700), threads: 1).ToList();
        foreach (var threads in new[] { 2, 3, 8 })
        {
            var actual = tokenizer.TokenizeAll(Corpus(700), threads).ToList();
            Assert.AreEqual(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.AreEqual(expected[i].Conversation.Id, actual[i].Conversation.Id, $"{threads} threads, position {i}");
                CollectionAssert.AreEqual(expected[i].Document.Tokens, actual[i].Document.Tokens);
                CollectionAssert.AreEqual(expected[i].Document.Segments, actual[i].Document.Segments);
            }
        }
    }

    [TestMethod]
    public void A_source_failure_surfaces_after_every_earlier_result()
    {
        static IEnumerable<Conversation> Failing()
        {
            foreach (var conversation in Corpus(150))
            {
                yield return conversation;
            }

            throw new InvalidDataException("source broke");
        }

        int seen = 0;
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
        {
            foreach (var result in Tokenizer().TokenizeAll(Failing(), threads: 2))
            {
                seen++;
            }
        });
        Assert.AreEqual("source broke", error.Message);
        Assert.AreEqual(150, seen);
    }

    [TestMethod]
    public void Stopping_early_stops_the_helpers()
    {
        var first = Tokenizer().TokenizeAll(Corpus(100_000), threads: 2).Take(10).ToList();
        Assert.AreEqual(10, first.Count);
    }

    [TestMethod]
    public void Compiled_shards_are_byte_identical_for_one_or_many_threads()
    {
        using var temp = new TempDirectory();
        var recipe = new Recipe
        {
            Name = "threads",
            FilePath = temp.Combine("threads.recipe.yaml"),
            Sources = [new SourceSettings { Name = "test", Format = "synthetic", Count = 1 }],
            Sequence = new SequenceSettings { Length = 256 },
        };

        foreach (var packing in new[] { true, false })
        {
            var settings = recipe with { Sequence = recipe.Sequence with { Packing = packing } };
            var one = RecipeCompiler.Compile(settings, Corpus(2500), temp.Combine($"{packing}-1"), threads: 1);
            var four = RecipeCompiler.Compile(settings, Corpus(2500), temp.Combine($"{packing}-4"), threads: 4);
            Assert.AreEqual(File.ReadAllText(one.ManifestPath), File.ReadAllText(four.ManifestPath));
            foreach (var shard in one.Manifest.Shards)
            {
                CollectionAssert.AreEqual(File.ReadAllBytes(temp.Combine($"{packing}-1", shard.File)), File.ReadAllBytes(temp.Combine($"{packing}-4", shard.File)), shard.File);
            }

            Assert.IsTrue(one.Manifest.Statistics.OverLengthBySource["test"].Truncated > 0);
            if (!packing)
            {
                Assert.AreEqual(2, one.Manifest.Shards.Count, "unpacked, 2500 rows make two shards: shard boundaries are exercised too");
            }
        }
    }

    private static ParallelTokenizer Tokenizer() =>
        new(Gpt2, t => new SampleTokenizer(t, ChatTemplates.Get("agentflan")).Document);
}
