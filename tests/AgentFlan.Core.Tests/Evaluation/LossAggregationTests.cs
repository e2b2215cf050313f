using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Evaluation;

[TestClass]
public sealed class LossAggregationTests
{
    private static readonly ScoredSample Agent = new("generator", "agent-chat", [Capability.Reasoning, Capability.Retrieval, Capability.Reasoning], [1.0, 2.0, 3.0]);
    private static readonly ScoredSample Plain = new("held_out", "general", [Capability.None, Capability.None], [0.5, 1.5]);

    [TestMethod]
    public void Means_are_token_weighted_per_capability_kind_and_set_with_hand_computed_values()
    {
        var empty = new ScoredSample("held_out", "general", [], []);
        var scores = LossAggregation.Summarize([Agent, Plain, empty], truncated: 1, remapped: 2, dropped: 3);

        // (1 + 2 + 3 + 0.5 + 1.5) / 5 = 1.6, not the mean of the two samples' means (2.0 and 1.0).
        Assert.AreEqual(2, scores.Samples, "a sample without a supervised token is not counted");
        Assert.AreEqual(5, scores.Overall.Tokens);
        Assert.AreEqual(1.6, scores.Overall.MeanLoss, 1e-12);
        Assert.AreEqual(Math.Exp(1.6), scores.Overall.Perplexity, 1e-9);

        var capabilities = scores.ByCapability.ToDictionary(r => r.Name);
        CollectionAssert.AreEqual(new[] { "reasoning", "retrieval", "understanding", "instruction_following", "none" }, scores.ByCapability.Select(r => r.Name).ToArray());
        Assert.AreEqual(2, capabilities["reasoning"].Tokens);
        Assert.AreEqual(2.0, capabilities["reasoning"].MeanLoss, 1e-12); // (1 + 3) / 2
        Assert.AreEqual(2.0, capabilities["retrieval"].MeanLoss, 1e-12);
        Assert.AreEqual(Math.Exp(2.0), capabilities["retrieval"].Perplexity, 1e-9);
        Assert.AreEqual(0, capabilities["understanding"].Tokens);
        Assert.IsTrue(double.IsNaN(capabilities["understanding"].MeanLoss), "no token, no mean");
        Assert.AreEqual(1.0, capabilities["none"].MeanLoss, 1e-12); // (0.5 + 1.5) / 2
        Assert.AreEqual(2.0, scores.Capability("reasoning"), 1e-12);

        Assert.AreEqual("agent-chat:3:2,general:2:1", string.Join(",", scores.ByKind.Select(r => $"{r.Name}:{r.Tokens}:{r.MeanLoss}")));
        Assert.AreEqual("generator:3:2,held_out:2:1", string.Join(",", scores.BySet.Select(r => $"{r.Name}:{r.Tokens}:{r.MeanLoss}")));
        Assert.AreEqual((1, 2L, 3L), (scores.Truncated, scores.TokensRemapped, scores.TokensDropped));
    }

    [TestMethod]
    public void Mismatched_labels_are_refused_and_results_round_trip_through_json_and_the_report()
    {
        Assert.ThrowsExactly<ArgumentException>(() => LossAggregation.Summarize([new ScoredSample("s", "k", [Capability.None], [1.0, 2.0])]));

        var results = new EvaluationResults
        {
            Recipe = "r",
            Suites = [],
            Cases = [],
            Decontamination = new Decontamination(0, 0, [], 0),
            Loss = LossAggregation.Summarize([Agent, Plain]),
        };
        var back = EvaluationResults.FromJson(results.ToJson());
        Assert.AreEqual(1.6, back.Loss!.Overall.MeanLoss, 1e-12);
        Assert.IsTrue(double.IsNaN(back.Loss.Capability("understanding")));

        var report = EvaluationReport.Markdown(back);
        StringAssert.Contains(report, "## loss");
        StringAssert.Contains(report, "| capability | supervised tokens | mean loss | perplexity |");
        StringAssert.Contains(report, "| reasoning | 2 | 2.000 | 7.39 |");
        StringAssert.Contains(report, "| understanding | 0 | – | – |");
        StringAssert.Contains(report, "| general | 2 | 1.000 | 2.72 |");

        var comparison = ExperimentReport.Markdown([("r", back), ("r", back with { TrainingSeed = 2, Loss = LossAggregation.Summarize([Plain]) })], "# x");
        StringAssert.Contains(comparison, "Held-out loss");
        StringAssert.Contains(comparison, "| r | 1.300 ± 0.424 |"); // mean of 1.6 and 1.0, sample sd 0.4243
    }

    [TestMethod]
    public void The_loss_suite_renders_as_training_does_but_keeps_every_eligible_token_supervised()
    {
        var tokenizer = TokenizerLoader.Load(new TokenizerSettings());
        var template = ChatTemplates.Get("agentflan");
        var heldOut = Enumerable.Range(0, 30).Select(i => TestConversations.ToolUse($"own-{i}", $"Town{i}")).ToList();
        var conversations = LossSuite.Conversations(seed: 4, samples: 12, heldOut);

        Assert.HasCount(12, conversations.Where(c => c.Set == LossSuite.GeneratorSet).ToList());
        Assert.HasCount(12, conversations.Where(c => c.Set == LossSuite.HeldOutSet).ToList(), "samples of the recipe's held-out conversations");
        Assert.AreEqual(string.Join(",", conversations.Select(c => c.Conversation.Id)), string.Join(",", LossSuite.Conversations(4, 12, heldOut.AsEnumerable().Reverse().ToList()).Select(c => c.Conversation.Id)));

        var samples = LossSuite.Tokenize(conversations, tokenizer, template, new MaskingSettings(), reactFraction: 0.5, seed: 4);

        Assert.HasCount(24, samples);
        var tokens = samples.SelectMany(s => s.Sample.Capabilities.Zip(s.Sample.Loss)).ToList();
        Assert.IsTrue(tokens.Any(t => t.First == Capability.Retrieval));
        Assert.IsTrue(tokens.Where(t => t.First is Capability.Retrieval or Capability.Understanding).All(t => t.Second == 1), "capability weights never drop supervision in evaluation");
        Assert.IsTrue(samples.Any(s => s.Sample.Kind == ConversationKind.AgentReact) && samples.Any(s => s.Sample.Kind == ConversationKind.AgentChat), "trajectories take the form chat alignment gives them");

        // The same conversation, tokenized by training with the recipe's capability weights: the same tokens, fewer supervised.
        var trained = new SampleTokenizer(tokenizer, template, new MaskingSettings(), new AgentFlan.Transforms.RenderPlan(4, new CapabilitySettings { Retrieval = 0, Understanding = 0 }));
        var own = samples.First(s => s.Set == LossSuite.HeldOutSet && s.Sample.Kind == ConversationKind.AgentChat).Sample;
        var same = trained.Tokenize(heldOut.Single(c => c.Id == own.Id) with { Kind = ConversationKind.AgentChat });
        CollectionAssert.AreEqual(own.Tokens, same.Tokens);
        Assert.IsLessThan(own.SupervisedCount, same.SupervisedCount);
    }
}
