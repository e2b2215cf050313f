using AgentFlan.Shards;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Data;

/// <summary>
/// A batch of packed rows turned into what the model needs, still as plain arrays (no native memory):
/// model token ids, each token's position within its document, a segment id per token (the document it
/// belongs to; every padding token gets a segment of its own), and the supervised next-token targets.
///
/// Target rule: the token at column j predicts column j+1 when both lie in the same document and the loss
/// mask byte of column j+1 is 1 (the mask belongs to the token being predicted). The last token of a
/// document therefore never predicts the first token of the next one, which is what makes a packed row
/// train exactly like the same documents in separate rows.
/// </summary>
public sealed class PackedBatch
{
    private PackedBatch(int rows, int length, long[] tokens, long[] positions, long[] segments, long[] supervisedIndex, long[] targets)
    {
        Rows = rows;
        Length = length;
        Tokens = tokens;
        Positions = positions;
        Segments = segments;
        SupervisedIndex = supervisedIndex;
        Targets = targets;
    }

    public int Rows { get; }

    public int Length { get; }

    public long[] Tokens { get; }

    public long[] Positions { get; }

    public long[] Segments { get; }

    /// <summary>Flattened (row · length + column) indices of the tokens whose next token is supervised.</summary>
    public long[] SupervisedIndex { get; }

    /// <summary>The supervised next tokens (model ids), aligned with <see cref="SupervisedIndex"/>.</summary>
    public long[] Targets { get; }

    public int SupervisedTokens => SupervisedIndex.Length;

    public static PackedBatch Create(IReadOnlyList<PackedRow> rows, TokenVocabulary vocabulary)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        int length = rows[0].Tokens.Length;
        var tokens = new long[rows.Count * length];
        var positions = new long[tokens.Length];
        var segments = new long[tokens.Length];
        var supervised = new List<long>();
        var targets = new List<long>();
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Tokens.Length != length || row.Loss.Length != length)
            {
                throw new ArgumentException($"Row {r} does not hold {length} tokens and mask bytes.", nameof(rows));
            }

            int offset = r * length;
            for (int j = 0; j < length; j++)
            {
                segments[offset + j] = -1 - j; // padding: a segment of its own, position 0
                int id = vocabulary.ToModel(row.Tokens[j]);
                tokens[offset + j] = id >= 0 ? id : throw new ArgumentException($"Token id {row.Tokens[j]} (row {r}, column {j}) is not in the model's vocabulary.", nameof(rows));
            }

            for (int d = 0; d < row.Documents.Count; d++)
            {
                var (start, count, _) = row.Documents[d];
                if (start < 0 || count < 0 || start + count > length)
                {
                    throw new ArgumentException($"Document {d} of row {r} ({start}+{count}) lies outside the row.", nameof(rows));
                }

                for (int j = start; j < start + count; j++)
                {
                    if (segments[offset + j] >= 0)
                    {
                        throw new ArgumentException($"Documents overlap at row {r}, column {j}.", nameof(rows));
                    }

                    segments[offset + j] = d;
                    positions[offset + j] = j - start;
                }
            }

            for (int j = 0; j + 1 < length; j++)
            {
                if (row.Loss[j + 1] != 0 && segments[offset + j] >= 0 && segments[offset + j] == segments[offset + j + 1])
                {
                    supervised.Add(offset + j);
                    targets.Add(tokens[offset + j + 1]);
                }
            }
        }

        return new PackedBatch(rows.Count, length, tokens, positions, segments, [.. supervised], [.. targets]);
    }

    /// <summary>
    /// Native tensors for this batch (caller disposes, normally through a dispose scope). The attention mask
    /// is block-diagonal causal: a token sees earlier tokens of its own segment only.
    /// </summary>
    public BatchTensors ToTensors(Device device)
    {
        using var scope = NewDisposeScope();
        var segments = tensor(Segments, device: device).view(Rows, Length);
        var sameSegment = segments.unsqueeze(2).eq(segments.unsqueeze(1));
        var causal = ones(Length, Length, dtype: ScalarType.Bool, device: device).tril();
        var result = new BatchTensors(
            tensor(Tokens, device: device).view(Rows, Length),
            tensor(Positions, device: device).view(Rows, Length),
            sameSegment.logical_and(causal).unsqueeze(1),
            tensor(SupervisedIndex, device: device),
            tensor(Targets, device: device));
        scope.MoveToOuter(result.Tokens, result.Positions, result.Mask);
        scope.MoveToOuter(result.SupervisedIndex, result.Targets);
        return result;
    }
}
