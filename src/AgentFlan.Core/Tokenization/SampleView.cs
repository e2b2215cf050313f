using System.Runtime.CompilerServices;
using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>
/// A training sample without per-token arrays: a window of a document's token ids and, instead of a loss mask and a
/// capability per token, its <see cref="Runs"/>. It says exactly what a <see cref="TokenizedSample"/> says (see
/// <see cref="ToSample"/>), at the cost of a few runs per sample instead of two arrays per sample, so the compile
/// weighs, truncates, counts and packs documents without allocating per token: the packer copies the ids and fills
/// the mask straight into a shard.
/// </summary>
public sealed class SampleView
{
    private readonly int[] _tokens;
    private readonly int _offset;
    private readonly DocumentSegment[] _runs;

    /// <param name="tokens">The ids the sample is a window of (not copied; must not change); empty for a sample whose document was read without its ids (<see cref="HasIds"/>).</param>
    /// <param name="runs">See <see cref="Runs"/>; checked.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SampleView(string id, ConversationKind kind, int[] tokens, int offset, int length, DocumentSegment[] runs)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (tokens.Length > 0)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, tokens.Length - offset);
        }

        if (!AreRuns(runs, length))
        {
            throw new ArgumentException("Runs must be sorted, non-overlapping and inside the sample.", nameof(runs));
        }

        Id = id;
        Kind = kind;
        _tokens = tokens;
        _offset = offset;
        Length = length;
        _runs = runs;
        foreach (var run in runs)
        {
            SupervisedCount += run.Supervised ? run.Length : 0;
        }
    }

    public string Id { get; }

    public ConversationKind Kind { get; }

    public int Length { get; }

    /// <summary>Its token ids (<see cref="HasIds"/> must be true).</summary>
    public ReadOnlySpan<int> Tokens => HasIds
        ? _tokens.AsSpan(_offset, Length)
        : throw new InvalidOperationException($"Sample '{Id}' was read without its token ids (to place its loss mask only).");

    /// <summary>False when its document was read without its ids (<see cref="TokenizedDocument.HasIds"/>): its runs and length are all there is.</summary>
    public bool HasIds => _tokens.Length > 0 || Length == 0;

    /// <summary>
    /// Token ranges relative to the sample's first token, sorted and non-overlapping, each with its capability and
    /// whether it is supervised (after the capability weights). A token in no run has capability
    /// <see cref="Capability.None"/> and is not supervised (the end-of-text id, padding between segments).
    /// </summary>
    public ReadOnlySpan<DocumentSegment> Runs => _runs;

    /// <summary>How many tokens the loss mask supervises.</summary>
    public long SupervisedCount { get; }

    /// <summary>
    /// Whether <paramref name="segments"/> can serve as runs of a sample of <paramref name="length"/> tokens as they
    /// are: sorted, non-overlapping and inside it. Every document the template renders is (one segment after the
    /// other, then the end-of-text id); the compile checks anyway and falls back to the per-token arrays otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AreRuns(ReadOnlySpan<DocumentSegment> segments, int length)
    {
        int end = 0;
        foreach (var segment in segments)
        {
            if (segment.Start < end || segment.Length < 0 || segment.Start > length - segment.Length)
            {
                return false;
            }

            end = segment.Start + segment.Length;
        }

        return true;
    }

    /// <summary>The view of a sample given as arrays: its mask and capabilities run-length encoded.</summary>
    public static SampleView Of(TokenizedSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var runs = new List<DocumentSegment>();
        for (int i = 0; i < sample.Length;)
        {
            var capability = sample.Capabilities[i];
            var supervised = sample.Loss[i] != 0;
            int start = i;
            while (i < sample.Length && sample.Capabilities[i] == capability && (sample.Loss[i] != 0) == supervised)
            {
                i++;
            }

            if (capability != Capability.None || supervised)
            {
                runs.Add(new DocumentSegment(start, i - start, capability, supervised));
            }
        }

        return new SampleView(sample.Id, sample.Kind, sample.Tokens, 0, sample.Length, [.. runs]);
    }

    /// <summary>Writes the loss mask (1 = supervised, else 0) into <paramref name="loss"/>, which holds <see cref="Length"/> bytes.</summary>
    public void WriteLoss(Span<byte> loss)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(loss.Length, Length, nameof(loss));
        WriteLoss(_runs, loss);
    }

    /// <summary>The runs, shared (not to be changed).</summary>
    internal DocumentSegment[] RunArray => _runs;

    /// <summary>Writes the loss mask of <paramref name="runs"/> into <paramref name="loss"/> (the sample's tokens).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WriteLoss(ReadOnlySpan<DocumentSegment> runs, Span<byte> loss)
    {
        loss.Clear();
        foreach (var run in runs)
        {
            if (run.Supervised)
            {
                loss.Slice(run.Start, run.Length).Fill(1);
            }
        }
    }

    /// <summary>Sets the mask bits of <paramref name="runs"/>' supervised tokens, the sample's first token at bit <paramref name="from"/> of <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WriteMask(ReadOnlySpan<DocumentSegment> runs, Span<byte> bits, long from)
    {
        foreach (var run in runs)
        {
            if (run.Supervised)
            {
                Shards.MaskBits.SetRange(bits, from + run.Start, run.Length);
            }
        }
    }

    /// <summary>
    /// The token ranges truncation must not cut: the maximal runs of retrieval and understanding tokens (each tool
    /// call's name and arguments), as <see cref="TokenizedSample.ToolCallSpans"/> derives them from the capabilities.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<TokenSpan> ToolCallSpans()
    {
        List<TokenSpan>? spans = null;
        int start = -1, end = -1;
        foreach (var run in _runs)
        {
            if (run.Length == 0)
            {
                continue;
            }

            if (run.Capability is Capability.Retrieval or Capability.Understanding)
            {
                if (start >= 0 && run.Start == end)
                {
                    end += run.Length;
                    continue;
                }

                if (start >= 0)
                {
                    (spans ??= []).Add(new TokenSpan(start, end - start));
                }

                (start, end) = (run.Start, run.Start + run.Length);
            }
            else if (start >= 0)
            {
                (spans ??= []).Add(new TokenSpan(start, end - start));
                start = -1;
            }
        }

        if (start >= 0)
        {
            (spans ??= []).Add(new TokenSpan(start, end - start));
        }

        return spans ?? (IReadOnlyList<TokenSpan>)[];
    }

    /// <summary>The tokens [<paramref name="start"/>, <paramref name="end"/>) of this sample, with their runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SampleView Slice(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Length);
        var runs = new List<DocumentSegment>(_runs.Length);
        foreach (var run in _runs)
        {
            int from = Math.Max(run.Start, start), to = Math.Min(run.Start + run.Length, end);
            if (from < to)
            {
                runs.Add(run with { Start = from - start, Length = to - from });
            }
        }

        return new SampleView(Id, Kind, _tokens, _offset + start, end - start, [.. runs]);
    }

    /// <summary>The same sample as arrays: ids, loss mask and per-token capabilities.</summary>
    public TokenizedSample ToSample()
    {
        var loss = new byte[Length];
        WriteLoss(loss);
        var capabilities = new Capability[Length];
        foreach (var run in _runs)
        {
            capabilities.AsSpan(run.Start, run.Length).Fill(run.Capability);
        }

        return new TokenizedSample(Id, Kind, Tokens.ToArray(), loss, capabilities);
    }
}
