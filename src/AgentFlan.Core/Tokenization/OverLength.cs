using System.Runtime.CompilerServices;
using AgentFlan.Recipes;

namespace AgentFlan.Tokenization;

/// <summary>
/// Applies the over-length policy to one sample. Truncation keeps the first (right) or last (left) L tokens;
/// unless <see cref="OverLengthOptions.CutToolCalls"/> is set, a cut that would fall inside a tool call moves
/// to the call's edge so the call is dropped whole (a model must never learn half a tool call). When no such
/// cut leaves a token, the sample is dropped instead.
/// </summary>
public static class OverLength
{
    public static (TokenizedSample? Sample, OverLengthOutcome Outcome) Apply(TokenizedSample sample, int length, OverLengthOptions options)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var (outcome, start, end) = Decide(sample.Length, length, options, sample.ToolCallSpans);
        return outcome switch
        {
            OverLengthOutcome.Fits => (sample, outcome),
            OverLengthOutcome.Truncated => (Slice(sample, start, end), outcome),
            _ => (null, outcome),
        };
    }

    /// <summary>The same policy for a <see cref="SampleView"/>: the same cut, the same outcome, no per-token arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (SampleView? Sample, OverLengthOutcome Outcome) Apply(SampleView sample, int length, OverLengthOptions options)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var (outcome, start, end) = Decide(sample.Length, length, options, sample.ToolCallSpans);
        return outcome switch
        {
            OverLengthOutcome.Fits => (sample, outcome),
            OverLengthOutcome.Truncated => (sample.Slice(start, end), outcome),
            _ => (null, outcome),
        };
    }

    /// <summary>The policy for a sample of <paramref name="sampleLength"/> tokens: its outcome and, when truncated, the tokens kept.</summary>
    private static (OverLengthOutcome Outcome, int Start, int End) Decide(int sampleLength, int length, OverLengthOptions options, Func<IReadOnlyList<TokenSpan>> toolCalls)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (sampleLength <= length)
        {
            return (OverLengthOutcome.Fits, 0, sampleLength);
        }

        switch (options.Policy)
        {
            case OverLengthPolicy.Error:
                return (OverLengthOutcome.TooLong, 0, 0);
            case OverLengthPolicy.Drop:
                return (OverLengthOutcome.Dropped, 0, 0);
        }

        var (start, end) = Cut(sampleLength, length, options, options.CutToolCalls ? [] : toolCalls());
        return end <= start ? (OverLengthOutcome.Dropped, 0, 0) : (OverLengthOutcome.Truncated, start, end);
    }

    /// <summary>The tokens truncation keeps: the first or last <paramref name="length"/>, moved off the tool calls given.</summary>
    private static (int Start, int End) Cut(int sampleLength, int length, OverLengthOptions options, IReadOnlyList<TokenSpan> toolCalls)
    {
        var (start, end) = options.Side == TruncationSide.Right ? (0, length) : (sampleLength - length, sampleLength);
        foreach (var call in toolCalls)
        {
            if (options.Side == TruncationSide.Right && call.Splits(end))
            {
                end = call.Start;
            }
            else if (options.Side == TruncationSide.Left && call.Splits(start))
            {
                start = call.End;
            }
        }

        return (start, end);
    }

    private static TokenizedSample Slice(TokenizedSample sample, int start, int end)
    {
        var spans = sample.ToolCalls?
            .Where(s => s.Start >= start && s.End <= end)
            .Select(s => s with { Start = s.Start - start })
            .ToList();
        return sample with
        {
            Tokens = sample.Tokens[start..end],
            Loss = sample.Loss[start..end],
            Capabilities = sample.Capabilities[start..end],
            ToolCalls = spans,
        };
    }
}
