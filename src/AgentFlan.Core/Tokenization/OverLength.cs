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
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (sample.Length <= length)
        {
            return (sample, OverLengthOutcome.Fits);
        }

        switch (options.Policy)
        {
            case OverLengthPolicy.Error:
                return (null, OverLengthOutcome.TooLong);
            case OverLengthPolicy.Drop:
                return (null, OverLengthOutcome.Dropped);
        }

        var (start, end) = options.Side == TruncationSide.Right ? (0, length) : (sample.Length - length, sample.Length);
        if (!options.CutToolCalls)
        {
            foreach (var call in sample.ToolCallSpans())
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
        }

        if (end <= start)
        {
            return (null, OverLengthOutcome.Dropped);
        }

        return (Slice(sample, start, end), OverLengthOutcome.Truncated);
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
