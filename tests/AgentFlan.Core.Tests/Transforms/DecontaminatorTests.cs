using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class DecontaminatorTests
{
    private static Conversation Chat(string id, string user) =>
        new(id, new Provenance("src"), [], [Message.User(user), Message.Assistant("ok")]);

    [TestMethod]
    public void Removes_conversations_whose_user_turn_overlaps_a_held_out_query()
    {
        var held = new[] { "What is the weather like in Lisbon tomorrow morning, please tell me now" };
        var removed = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var input = new[]
        {
            Chat("copy", "what is the weather like in lisbon tomorrow morning please tell me now!"),
            Chat("paraphrase", "Tell me the weather like in Lisbon tomorrow morning, please, and the tides too"),
            Chat("unrelated", "Convert 12 euros to dollars at today's rate, and round to cents please"),
        };

        var kept = Decontaminator.Apply(input, held, 8, 0.5, removed);

        Assert.AreEqual("paraphrase,unrelated", string.Join(",", kept.Select(c => c.Id)));
        Assert.AreEqual(1, removed["src"]);
        Assert.AreEqual(3, Decontaminator.Apply(input, held, 0, 0.5, removed).Count, "n-gram size 0 turns it off");
        var stricter = Decontaminator.Apply(input, held, 4, 0.3, new SortedDictionary<string, long>(StringComparer.Ordinal));
        Assert.AreEqual("unrelated", string.Join(",", stricter.Select(c => c.Id)), "shorter n-grams and a lower threshold also catch the paraphrase");
    }

    [TestMethod]
    public void A_source_made_of_the_evaluation_queries_is_removed_by_the_compile_transforms()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", "seed: 3\nsources:\n  - {name: s, format: synthetic, count: 20}\nevaluation:\n  samples: 20")).Recipe!;
        var cases = EvaluationSuites.Build(recipe.Seed, recipe.Evaluation.Samples, recipe.Evaluation.Suites);
        var leaked = cases.Take(5).Select((c, i) => Chat($"leak-{i}", c.Query));
        var corpus = SyntheticCorpus.Generate(new SyntheticOptions { Count = 20, Seed = 3 }).Concat(leaked).ToList();

        var result = AgentFlanTransforms.Apply(recipe, corpus);

        Assert.IsFalse(result.Conversations.Any(c => c.Id.StartsWith("leak-", StringComparison.Ordinal)));
        Assert.IsTrue(result.Statistics.DecontaminatedBySource.Values.Sum() >= 5);
    }

    /// <summary>The hashed, span-based overlap counts exactly what the n-gram strings count, on texts with odd spacing, case and scripts.</summary>
    [TestMethod]
    public void Overlap_without_strings_equals_overlap_of_the_ngram_strings()
    {
        var random = new Random(4);
        string[] vocabulary = ["the", "Weather", "in", "LISBON", "tomorrow", "ÉTÉ", "naïve", "中文", "x1", "42", "a", "😀", "don't", "e-mail"];
        string[] gaps = [" ", "  ", ", ", "\n", "!", " - ", "\t"];
        var texts = Enumerable.Range(0, 400).Select(_ => string.Concat(Enumerable.Range(0, random.Next(0, 14)).Select(_ => vocabulary[random.Next(vocabulary.Length)] + gaps[random.Next(gaps.Length)]))).ToList();
        foreach (var n in new[] { 1, 2, 3, 8 })
        {
            var held = new HashSet<string>(texts.Take(60).SelectMany(t => Decontaminator.NGrams(t, n)), StringComparer.Ordinal);
            var decontaminator = new Decontaminator(texts.Take(60), n, threshold: 0.5);

            foreach (var text in texts)
            {
                var grams = Decontaminator.NGrams(text, n);
                var expected = grams.Count == 0 ? 0 : (double)grams.Count(held.Contains) / grams.Count;
                Assert.AreEqual(expected, decontaminator.Overlap(text), $"n={n}: '{text}'");
            }
        }
    }
}
