using System.Runtime.CompilerServices;
using AgentFlan.Shards;
using AgentFlan.Tokenization;

namespace AgentFlan.Packing;

/// <summary>
/// Packs samples into rows of exactly L tokens with first-fit-decreasing: samples sorted by length (longest
/// first, ties in input order, so the result is deterministic), each placed in the first row with room,
/// found in O(log n) with a <see cref="FirstFitTree"/>. A sample is never split; each becomes one document
/// whose attention and positions reset at its start. Without packing every sample gets its own row. The
/// rest of a row is padding (mask 0, no document).
/// </summary>
public static class Packer
{
    public static IReadOnlyList<PackedRow> Pack(IReadOnlyList<TokenizedSample> samples, int sequenceLength, bool packing, int padToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (samples.Count == 0)
        {
            return [];
        }

        var lengths = new int[samples.Count];
        for (int i = 0; i < samples.Count; i++)
        {
            lengths[i] = samples[i].Length;
            if (lengths[i] > sequenceLength)
            {
                throw new ArgumentException($"Sample '{samples[i].Id}' has {lengths[i]} tokens, more than the row length {sequenceLength}; apply the over-length policy first.", nameof(samples));
            }
        }

        var members = packing ? FirstFitDecreasing(lengths, sequenceLength) : [.. Enumerable.Range(0, samples.Count).Select(i => new List<int> { i })];
        var rows = new PackedRow[members.Count];
        for (int r = 0; r < members.Count; r++)
        {
            rows[r] = Row(samples, members[r], sequenceLength, padToken);
        }

        return rows;
    }

    /// <summary>The members of each bin (indices into <paramref name="lengths"/>), bins in the order they were opened.</summary>
    internal static List<List<int>> FirstFitDecreasing(int[] lengths, int capacity)
    {
        var (members, starts) = FirstFitDecreasingFlat(lengths, capacity);
        var bins = new List<List<int>>(starts.Length - 1);
        for (int b = 0; b + 1 < starts.Length; b++)
        {
            bins.Add([.. members.AsSpan(starts[b], starts[b + 1] - starts[b])]);
        }

        return bins;
    }

    /// <summary>
    /// The same placement as flat arrays, without a list per bin: bin b holds
    /// <c>members[starts[b]..starts[b + 1]]</c> (indices into <paramref name="lengths"/>, in the order they were
    /// placed), bins in the order they were opened.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (int[] Members, int[] Starts) FirstFitDecreasingFlat(int[] lengths, int capacity)
    {
        // Longest first, ties by index: one sort key, so the (unstable) sort is still deterministic.
        var keys = new long[lengths.Length];
        var order = new int[lengths.Length];
        for (int i = 0; i < lengths.Length; i++)
        {
            keys[i] = ((long)(capacity - lengths[i]) << 32) | (uint)i;
            order[i] = i;
        }

        Array.Sort(keys, order);
        var tree = new FirstFitTree(Math.Max(1, lengths.Length), capacity);
        var binOf = new int[lengths.Length];
        var sizes = new int[lengths.Length + 1];
        int bins = 0;
        for (int p = 0; p < order.Length; p++)
        {
            int bin = tree.Place(lengths[order[p]]);
            binOf[p] = bin;
            sizes[bin]++;
            bins = Math.Max(bins, bin + 1);
        }

        var starts = new int[bins + 1];
        for (int b = 0; b < bins; b++)
        {
            starts[b + 1] = starts[b] + sizes[b];
        }

        var members = new int[lengths.Length];
        var next = starts[..bins];
        for (int p = 0; p < order.Length; p++)
        {
            members[next[binOf[p]]++] = order[p];
        }

        return (members, starts);
    }

    private static PackedRow Row(IReadOnlyList<TokenizedSample> samples, List<int> members, int sequenceLength, int padToken)
    {
        var tokens = new int[sequenceLength];
        var loss = new byte[sequenceLength];
        var documents = new (int Start, int Length, int Kind)[members.Count];
        int at = 0;
        for (int m = 0; m < members.Count; m++)
        {
            var sample = samples[members[m]];
            sample.Tokens.CopyTo(tokens, at);
            sample.Loss.CopyTo(loss, at);
            documents[m] = (at, sample.Length, (int)sample.Kind);
            at += sample.Length;
        }

        tokens.AsSpan(at).Fill(padToken);
        return new PackedRow(tokens, loss, documents);
    }
}
