namespace AgentFlan.Tokenization;

/// <summary>A half-open range of token positions [<see cref="Start"/>, <see cref="End"/>) within a sample.</summary>
public readonly record struct TokenSpan(int Start, int Length)
{
    public int End => Start + Length;

    /// <summary>Whether a cut before position <paramref name="position"/> falls strictly inside this span.</summary>
    public bool Splits(int position) => position > Start && position < End;

    /// <summary>The maximal runs of positions whose value satisfies <paramref name="inside"/>.</summary>
    public static IReadOnlyList<TokenSpan> RunsOf<T>(T[] values, Func<T, bool> inside)
    {
        List<TokenSpan>? runs = null;
        for (int i = 0; i < values.Length; i++)
        {
            if (!inside(values[i]))
            {
                continue;
            }

            int start = i;
            while (i + 1 < values.Length && inside(values[i + 1]))
            {
                i++;
            }

            (runs ??= []).Add(new TokenSpan(start, i + 1 - start));
        }

        return runs ?? (IReadOnlyList<TokenSpan>)[];
    }
}
