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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static List<List<int>> FirstFitDecreasing(int[] lengths, int capacity)
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
        var tree = new FirstFitTree(lengths.Length, capacity);
        var bins = new List<List<int>>();
        foreach (var index in order)
        {
            int bin = tree.Place(lengths[index]);
            if (bin == bins.Count)
            {
                bins.Add([]);
            }

            bins[bin].Add(index);
        }

        return bins;
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
