using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class OverLengthTests
{
    // Positions 0-3 text, 4-7 a tool call (retrieval 4-5, understanding 6-7), 8-11 text.
    private static readonly TokenizedSample Sample = new(
        "s",
        ConversationKind.AgentChat,
        [.. Enumerable.Range(100, 12)],
        [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0],
        [Capability.None, Capability.None, Capability.Reasoning, Capability.Reasoning, Capability.Retrieval, Capability.Retrieval, Capability.Understanding, Capability.Understanding, Capability.None, Capability.None, Capability.None, Capability.None]);

    [TestMethod]
    public void Fitting_samples_are_untouched_and_drop_or_error_apply_only_to_long_ones()
    {
        Assert.AreSame(Sample, OverLength.Apply(Sample, 12, new(OverLengthPolicy.Error)).Sample);
        Assert.AreEqual(OverLengthOutcome.TooLong, OverLength.Apply(Sample, 11, new(OverLengthPolicy.Error)).Outcome);
        Assert.AreEqual((null, OverLengthOutcome.Dropped), OverLength.Apply(Sample, 11, new(OverLengthPolicy.Drop)));
    }

    [TestMethod]
    public void Right_truncation_keeps_the_start_and_never_cuts_inside_a_tool_call()
    {
        var (cut, outcome) = OverLength.Apply(Sample, 10, new());
        Assert.AreEqual(OverLengthOutcome.Truncated, outcome);
        CollectionAssert.AreEqual(Sample.Tokens[..10], cut!.Tokens);
        CollectionAssert.AreEqual(Sample.Loss[..10], cut.Loss);

        // A cut at 6 would split the call (4-7): the whole call goes.
        var (safe, _) = OverLength.Apply(Sample, 6, new());
        CollectionAssert.AreEqual(Sample.Tokens[..4], safe!.Tokens);
        CollectionAssert.AreEqual(Sample.Capabilities[..4], safe.Capabilities);

        var (asked, _) = OverLength.Apply(Sample, 6, new(CutToolCalls: true));
        Assert.AreEqual(6, asked!.Length);
    }

    [TestMethod]
    public void Left_truncation_keeps_the_end_and_moves_the_cut_past_a_tool_call()
    {
        var (cut, _) = OverLength.Apply(Sample, 5, new(Side: TruncationSide.Left));
        CollectionAssert.AreEqual(Sample.Tokens[8..], cut!.Tokens, "a cut at 7 would split the call (4-7): the call goes");

        var (exact, _) = OverLength.Apply(Sample, 8, new(Side: TruncationSide.Left));
        CollectionAssert.AreEqual(Sample.Tokens[4..], exact!.Tokens, "a cut on the call's edge keeps the call");

        var (asked, _) = OverLength.Apply(Sample, 6, new(Side: TruncationSide.Left, CutToolCalls: true));
        CollectionAssert.AreEqual(Sample.Tokens[6..], asked!.Tokens);
    }

    [TestMethod]
    public void Explicit_tool_call_spans_win_and_a_sample_with_no_safe_cut_is_dropped()
    {
        var whole = Sample with { ToolCalls = [new TokenSpan(0, 12)] };
        Assert.AreEqual((null, OverLengthOutcome.Dropped), OverLength.Apply(whole, 8, new()));

        var explicitSpans = Sample with { ToolCalls = [new TokenSpan(1, 2), new TokenSpan(9, 2)] };
        var (cut, _) = OverLength.Apply(explicitSpans, 10, new());
        CollectionAssert.AreEqual(Sample.Tokens[..9], cut!.Tokens, "the span 9-10 is cut at 10: it goes");
        CollectionAssert.AreEqual(new[] { new TokenSpan(1, 2) }, cut.ToolCalls!.ToArray(), "spans that survive are kept");
    }

    [TestMethod]
    public void Derived_tool_calls_are_runs_of_retrieval_and_understanding()
    {
        CollectionAssert.AreEqual(new[] { new TokenSpan(4, 4) }, Sample.ToolCallSpans().ToArray());
    }
}
