using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class TransformPropertyTests
{
    /// <summary>Stated tolerance: achieved / eligible supervised tokens of a capability within 0.05 of its weight (segment policy, ≥ 2,000 eligible tokens).</summary>
    public const double ShareTolerance = 0.05;

    private static readonly LoadedTokenizer Gpt2 = TokenizerLoader.Load(new TokenizerSettings { Encoding = "gpt2" });

    private static readonly List<Conversation> Corpus = TransformCorpus.Synthetic(600);

    [TestMethod]
    public void Same_recipe_gives_the_same_samples_whatever_the_input_order()
    {
        var recipe = TransformCorpus.SyntheticRecipe();
        var first = AgentFlanTransforms.Apply(recipe, Corpus);
        var again = AgentFlanTransforms.Apply(recipe, Corpus);
        var shuffled = AgentFlanTransforms.Apply(recipe, Enumerable.Reverse(Corpus));

        CollectionAssert.AreEqual(Fingerprints(first), Fingerprints(again));
        CollectionAssert.AreEquivalent(Fingerprints(first), Fingerprints(shuffled), "decisions depend on (seed, transform, id), never on order");
        Assert.AreEqual(
            System.Text.Json.JsonSerializer.Serialize(first.Statistics, AgentFlan.Compilation.DatasetManifest.JsonOptions),
            System.Text.Json.JsonSerializer.Serialize(shuffled.Statistics, AgentFlan.Compilation.DatasetManifest.JsonOptions));
    }

    [TestMethod]
    public void A_different_seed_gives_different_choices()
    {
        var a = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(), Corpus);
        var b = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(r => r with { Seed = 6 }), Corpus);
        CollectionAssert.AreNotEqual(Fingerprints(a), Fingerprints(b));
    }

    [TestMethod]
    public void No_negative_sample_target_contains_a_tool_call_in_any_template()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(), Corpus);
        var negatives = result.Conversations.Where(c => c.Kind == ConversationKind.Negative).ToList();
        Assert.IsTrue(negatives.Count(c => c.Id.Contains("#neg-no-tools", StringComparison.Ordinal)) > 10);
        Assert.IsTrue(negatives.Count(c => c.Id.Contains("#neg-tools", StringComparison.Ordinal)) > 10);
        string[] callMarkers = ["Action:", "<tool_call>", "[TOOL_CALLS]", "<|action_start|>", "I'll use", "\"arguments\"", "\"parameters\""];
        foreach (var negative in negatives)
        {
            Assert.IsFalse(negative.Messages.Any(m => m.ToolCalls.Count > 0), negative.Id);
            foreach (var name in ChatTemplates.Names)
            {
                var template = ChatTemplates.Get(name);
                var target = string.Concat(template.Render(negative, new MaskingSettings(), result.Plan.FormOf(negative)).Where(s => s.Supervised).Select(s => s.Text));
                Assert.IsFalse(callMarkers.Any(m => target.Contains(m, StringComparison.Ordinal)), $"{negative.Id} in {name}: {target}");
                Assert.IsFalse(negative.Tools.Any(t => target.Contains(t.Name, StringComparison.Ordinal)), $"{negative.Id} names an offered tool");
            }
        }
    }

    [TestMethod]
    public void Offered_tools_of_irrelevant_tools_negatives_share_no_content_word_with_the_conversation()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(), Corpus);
        var built = result.Conversations.Where(c => c.Id.Contains("#neg-tools", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(built.Count > 0);
        foreach (var negative in built)
        {
            Assert.IsTrue(negative.Tools.Count is > 0 and <= 3);
            var words = ToolRelevance.ConversationWords(negative);
            Assert.IsTrue(negative.Tools.All(t => ToolRelevance.IsIrrelevant(t, words)), negative.Id);
        }

        Assert.IsTrue(ToolRelevance.ToolWords(TransformCorpus.Stocks).Contains("share"));
        var words2 = new HashSet<string>(StringComparer.Ordinal);
        ToolRelevance.AddWords("What are the latest shares prices?", words2);
        Assert.IsFalse(ToolRelevance.IsIrrelevant(TransformCorpus.Stocks, words2), "plural meets singular");
    }

    [TestMethod]
    public void Every_supervised_segment_has_exactly_one_label_and_agent_segments_a_decomposed_one()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(), Corpus);
        foreach (var name in ChatTemplates.Names)
        {
            var sampler = new SampleTokenizer(Gpt2, ChatTemplates.Get(name), new MaskingSettings(), result.Plan);
            foreach (var conversation in result.Conversations.Take(300))
            {
                var agent = conversation.Kind is ConversationKind.AgentChat or ConversationKind.AgentReact or ConversationKind.FormatFollowing;
                foreach (var segment in sampler.Segments(conversation).Where(s => s.Supervised))
                {
                    Assert.IsTrue(Enum.IsDefined(segment.Capability));
                    Assert.AreEqual(agent, segment.Capability != Capability.None, $"{name} {conversation.Id} {conversation.Kind}: '{segment.Text}'");
                }
            }
        }
    }

    [TestMethod]
    [DataRow("segment")]
    [DataRow("sample")]
    public void Achieved_capability_supervision_is_within_tolerance_of_the_weights(string policy)
    {
        var recipe = TransformCorpus.SyntheticRecipe(r => r with
        {
            Capabilities = new CapabilitySettings { Policy = policy, Reasoning = 1.0, Retrieval = 0.25, Understanding = 0.75, InstructionFollowing = 0.5 },
        });
        var result = AgentFlanTransforms.Apply(recipe, TransformCorpus.Synthetic(1500));
        var sampler = new SampleTokenizer(Gpt2, ChatTemplates.Get("chatml"), new MaskingSettings(), result.Plan);
        var samples = result.Conversations.Select(sampler.Tokenize).ToList();
        var measured = CapabilityStatistics.Measure(result.Plan, samples);
        foreach (var c in measured)
        {
            Assert.IsTrue(c.Eligible >= 2000, $"{c.Capability}: {c.Eligible} eligible tokens");
            var fraction = (double)c.Achieved / c.Eligible;
            Assert.IsTrue(Math.Abs(fraction - c.Weight) <= ShareTolerance, $"{policy} {c.Capability}: achieved {fraction:0.000} for weight {c.Weight}");
            Assert.IsTrue(Math.Abs(c.AchievedShare - c.RequestedShare) <= ShareTolerance, $"{policy} {c.Capability}: share {c.AchievedShare} vs {c.RequestedShare}");
        }
    }

    [TestMethod]
    public void Alignment_keeps_about_the_react_fraction_and_format_following_is_balanced()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(r => r with { Alignment = new AlignmentSettings { ReactFraction = 0.1, FormatFollowingCount = 41 } }), Corpus);
        var react = result.Statistics.AlignedByForm["react"];
        var total = result.Statistics.AlignedByForm.Values.Sum();
        Assert.IsTrue(Math.Abs(((double)react / total) - 0.1) < 0.04, $"{react} of {total}");
        Assert.AreEqual(21, result.Statistics.FormatFollowingByFormat["react"]);
        Assert.AreEqual(20, result.Statistics.FormatFollowingByFormat["json"]);
        var json = result.Conversations.First(c => c.Kind == ConversationKind.FormatFollowing && result.Plan.FormOf(c) == RenderForm.Json);
        StringAssert.Contains(json.Messages.First(m => m.Role == Role.User).Content, "JSON");
        Assert.IsTrue(result.Conversations.Where(c => c.Kind == ConversationKind.AgentReact).All(c => result.Plan.FormOf(c) == RenderForm.React));
    }

    [TestMethod]
    public void Mixing_meets_the_general_ratio_source_weights_and_budgets()
    {
        var balanced = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(), Corpus).Conversations;
        var agent = balanced.Count(c => c.Kind is ConversationKind.AgentChat or ConversationKind.AgentReact or ConversationKind.FormatFollowing);
        Assert.AreEqual(agent, balanced.Count(c => c.Kind == ConversationKind.General), "general_ratio 1 → one general sample per agent sample");
        Assert.AreEqual(balanced.Count, balanced.Select(c => c.Id).Distinct().Count(), "copies get their own ids");

        var half = AgentFlanTransforms.Apply(TransformCorpus.SyntheticRecipe(r => r with { Mixing = new MixingSettings { GeneralRatio = 0.5 } }), Corpus).Conversations;
        var halfAgent = half.Count(c => c.Kind is ConversationKind.AgentChat or ConversationKind.AgentReact or ConversationKind.FormatFollowing);
        Assert.AreEqual(Math.Round(halfAgent * 0.5, MidpointRounding.AwayFromZero), half.Count(c => c.Kind == ConversationKind.General));

        var plain = TransformCorpus.SyntheticRecipe(r => r with { Alignment = new(), Negatives = new(), Mixing = new() });
        var doubled = AgentFlanTransforms.Apply(plain with { Sources = [plain.Sources[0] with { Weight = 2 }] }, Corpus);
        var once = AgentFlanTransforms.Apply(plain, Corpus);
        Assert.AreEqual(2 * once.Conversations.Count, doubled.Conversations.Count);
        var halved = AgentFlanTransforms.Apply(plain with { Sources = [plain.Sources[0] with { Weight = 0.5 }] }, Corpus);
        Assert.IsTrue(Math.Abs(halved.Conversations.Count - (once.Conversations.Count / 2.0)) < once.Conversations.Count * 0.08);

        var limited = AgentFlanTransforms.Apply(plain with { Mixing = new MixingSettings { MaxSamples = 100 } }, Corpus);
        Assert.AreEqual(100, limited.Conversations.Count);
        Assert.AreEqual(once.Conversations.Count - 100, limited.Statistics.SampleBudgetRemoved);

        var sampler = new SampleTokenizer(Gpt2, ChatTemplates.Get("agentflan"), new MaskingSettings(), once.Plan);
        var samples = once.Conversations.Take(200).Select(sampler.Tokenize).ToList();
        var budget = samples.Sum(s => (long)s.Length) / 3;
        var trimmed = Mixer.LimitTokens(samples, s => s.Id, s => s.Length, budget, 5);
        Assert.IsTrue(trimmed.Sum(s => (long)s.Length) <= budget);
        Assert.IsTrue(trimmed.Count > 40 && trimmed.Count < 100);
        CollectionAssert.AreEqual(Mixer.LimitTokens(Enumerable.Reverse(samples).ToList(), s => s.Id, s => s.Length, budget, 5).Select(s => s.Id).Order().ToList(), trimmed.Select(s => s.Id).Order().ToList());
    }

    [TestMethod]
    public void Stable_random_is_a_pure_function_of_its_key()
    {
        Assert.AreEqual(StableRandom.Hash(1, "t", "a", 2), StableRandom.Hash(1, "t", "a", 2));
        Assert.AreNotEqual(StableRandom.Hash(1, "t", "a", 2), StableRandom.Hash(2, "t", "a", 2));
        Assert.AreNotEqual(StableRandom.Hash(1, "t", "a", 2), StableRandom.Hash(1, "u", "a", 2));
        Assert.AreNotEqual(StableRandom.Hash(1, "t", "a", 2), StableRandom.Hash(1, "t", "a", 3));
        var hits = Enumerable.Range(0, 20000).Count(i => StableRandom.Chance(0.3, 9, "t", "id-" + i));
        Assert.IsTrue(Math.Abs(hits - 6000) < 300, hits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsTrue(StableRandom.Chance(1.0, 1, "t", "x") && !StableRandom.Chance(0.0, 1, "t", "x"));
    }

    private static List<string> Fingerprints(TransformResult result) =>
        [.. result.Conversations.Select(c => $"{c.Id}|{c.Kind}|{result.Plan.FormOf(c)}|{string.Join(",", c.Tools.Select(t => t.Name))}|{Deduplicator.Key(c)}")];
}
