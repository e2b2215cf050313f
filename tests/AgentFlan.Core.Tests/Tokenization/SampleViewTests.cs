using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Tokenization;

/// <summary>The compile's run-based samples must say exactly what the per-token arrays say.</summary>
[TestClass]
public sealed class SampleViewTests
{
    private static readonly Capability[] Capabilities = [Capability.None, Capability.Reasoning, Capability.Retrieval, Capability.Understanding, Capability.InstructionFollowing];

    [TestMethod]
    public void A_view_weighs_truncates_and_counts_exactly_like_the_arrays()
    {
        var random = new Random(11);
        var plan = new RenderPlan(7, new CapabilitySettings { Reasoning = 0.5, Retrieval = 0.25, Understanding = 0.75, InstructionFollowing = 0.9 });
        var samplePlan = new RenderPlan(7, new CapabilitySettings { Policy = "sample", Retrieval = 0.5 });
        for (int n = 0; n < 3000; n++)
        {
            var document = RandomDocument(random, n, tiling: n % 5 != 0);
            foreach (var weights in new[] { plan, samplePlan })
            {
                var sample = weights.Weigh(document);
                var view = weights.View(document);
                var context = $"document {n}";
                AssertSame(sample, view, context);

                foreach (var options in new OverLengthOptions[] { new(), new(Side: TruncationSide.Left), new(CutToolCalls: true), new(Side: TruncationSide.Left, CutToolCalls: true), new(OverLengthPolicy.Drop) })
                {
                    int length = random.Next(1, document.Length + 3);
                    var (cut, outcome) = OverLength.Apply(sample, length, options);
                    var (cutView, outcomeView) = OverLength.Apply(view, length, options);
                    Assert.AreEqual(outcome, outcomeView, $"{context}, length {length}, {options}");
                    Assert.AreEqual(cut is null, cutView is null, context);
                    if (cut is not null)
                    {
                        AssertSame(cut, cutView!, $"{context}, cut to {length}, {options}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void A_view_shares_the_documents_segments_when_the_weights_drop_nothing()
    {
        var document = RandomDocument(new Random(3), 0, tiling: true);
        var view = new RenderPlan(1, new CapabilitySettings { Retrieval = 1, Understanding = 1 }).View(document);
        Assert.IsTrue(view.Runs == document.Segments.AsSpan(), "no copy of the segments for weights of 1");
        Assert.IsTrue(view.Tokens == document.Tokens.AsSpan(), "no copy of the ids");
    }

    [TestMethod]
    public void Runs_must_be_sorted_and_inside_the_sample()
    {
        Assert.IsTrue(SampleView.AreRuns([new(0, 2, Capability.None, true), new(2, 0, Capability.Reasoning, true), new(3, 1, Capability.Reasoning, false)], 4));
        Assert.IsFalse(SampleView.AreRuns([new(0, 3, Capability.None, true), new(2, 1, Capability.Reasoning, true)], 4), "overlap");
        Assert.IsFalse(SampleView.AreRuns([new(2, 1, Capability.None, true), new(0, 1, Capability.Reasoning, true)], 4), "out of order");
        Assert.IsFalse(SampleView.AreRuns([new(3, 2, Capability.None, true)], 4), "past the end");
        Assert.ThrowsExactly<ArgumentException>(() => new SampleView("x", ConversationKind.General, [1, 2], 0, 2, [new(1, 2, Capability.None, true)]));
    }

    private static void AssertSame(TokenizedSample expected, SampleView actual, string context)
    {
        var materialized = actual.ToSample();
        CollectionAssert.AreEqual(expected.Tokens, materialized.Tokens, $"{context}: ids");
        CollectionAssert.AreEqual(expected.Loss, materialized.Loss, $"{context}: loss");
        CollectionAssert.AreEqual(expected.Capabilities, materialized.Capabilities, $"{context}: capabilities");
        Assert.AreEqual(expected.SupervisedCount, actual.SupervisedCount, $"{context}: supervised count");
        CollectionAssert.AreEqual(expected.ToolCallSpans().ToList(), actual.ToolCallSpans().ToList(), $"{context}: tool calls");
        var loss = new byte[actual.Length];
        actual.WriteLoss(loss);
        CollectionAssert.AreEqual(expected.Loss, loss, $"{context}: loss written in place");

        var fromArrays = new CapabilityCounter();
        fromArrays.Add(expected);
        var fromRuns = new CapabilityCounter();
        fromRuns.Add(actual);
        var plan = new RenderPlan(1, new CapabilitySettings());
        Assert.AreEqual(Describe(fromArrays.Measure(plan)), Describe(fromRuns.Measure(plan)), $"{context}: capability counts");
    }

    private static string Describe(List<CapabilityStatistics> statistics) =>
        string.Join("; ", statistics.Select(s => System.Text.Json.JsonSerializer.Serialize(s)));

    /// <summary>
    /// A document as the template renders it (segments one after the other, some empty, then end-of-text) or,
    /// when not <paramref name="tiling"/>, with gaps, overlaps and segments out of order.
    /// </summary>
    private static TokenizedDocument RandomDocument(Random random, int n, bool tiling)
    {
        var segments = new List<DocumentSegment>();
        int at = 0;
        for (int s = random.Next(0, 12); s > 0; s--)
        {
            int length = random.Next(0, 4) == 0 ? 0 : random.Next(1, 30);
            if (!tiling && random.Next(3) == 0)
            {
                at = Math.Max(0, at + random.Next(-10, 10));
            }

            segments.Add(new DocumentSegment(at, length, Capabilities[random.Next(Capabilities.Length)], random.Next(3) > 0));
            at += length;
        }

        int total = Math.Max(1, segments.Count == 0 ? 1 : segments.Max(s => s.Start + s.Length) + 1);
        if (!tiling && segments.Count > 1 && random.Next(2) == 0)
        {
            (segments[0], segments[^1]) = (segments[^1], segments[0]);
        }

        return new TokenizedDocument($"doc-{n}", ConversationKind.AgentChat, "src", "src", [.. Enumerable.Range(0, total).Select(i => (n * 31) + i)], [.. segments]);
    }
}
