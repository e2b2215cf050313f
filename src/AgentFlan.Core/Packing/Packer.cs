using AgentFlan.Shards;
using AgentFlan.Tokenization;

namespace AgentFlan.Packing;

/// <summary>
/// Packs samples into rows of exactly L tokens with first-fit-decreasing: samples sorted by length (longest
/// first, ties in input order, so the result is deterministic), each placed in the first row with room.
/// A sample is never split; each becomes one document whose attention and positions reset at its start.
/// Without packing every sample gets its own row. The rest of a row is padding (mask 0, no document).
/// </summary>
public static class Packer
{
    public static IReadOnlyList<PackedRow> Pack(IReadOnlyList<TokenizedSample> samples, int sequenceLength, bool packing, int padToken)
    {
        var order = Enumerable.Range(0, samples.Count)
            .OrderByDescending(i => samples[i].Length)
            .ThenBy(i => i)
            .ToArray();

        var bins = new List<(int Free, List<int> Members)>();
        foreach (var index in order)
        {
            var length = samples[index].Length;
            if (length > sequenceLength)
            {
                throw new ArgumentException($"Sample '{samples[index].Id}' has {length} tokens, more than the row length {sequenceLength}; apply the over-length policy first.", nameof(samples));
            }

            int target = -1;
            if (packing)
            {
                for (int b = 0; b < bins.Count; b++)
                {
                    if (bins[b].Free >= length)
                    {
                        target = b;
                        break;
                    }
                }
            }

            if (target < 0)
            {
                bins.Add((sequenceLength, []));
                target = bins.Count - 1;
            }

            bins[target] = (bins[target].Free - length, bins[target].Members);
            bins[target].Members.Add(index);
        }

        var rows = new List<PackedRow>(bins.Count);
        foreach (var (_, members) in bins)
        {
            var tokens = new int[sequenceLength];
            var loss = new byte[sequenceLength];
            Array.Fill(tokens, padToken);
            var documents = new List<(int Start, int Length, int Kind)>(members.Count);
            int at = 0;
            foreach (var index in members)
            {
                var sample = samples[index];
                sample.Tokens.CopyTo(tokens, at);
                sample.Loss.CopyTo(loss, at);
                documents.Add((at, sample.Length, (int)sample.Kind));
                at += sample.Length;
            }

            rows.Add(new PackedRow(tokens, loss, documents));
        }

        return rows;
    }
}
