using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Shards;
using AgentFlan.Tokenization;
using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Models;
using AgentFlan.Trainer.Training;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Evaluation;

/// <summary>
/// The loss suite's forward pass: the model's cross-entropy on every supervised token of the held-out samples,
/// computed as training computes it (<see cref="PackedBatch"/>'s target rule and <see cref="NextTokenLoss"/>), one
/// sample per row so each token's loss maps back to its capability, rows of similar length batched together. The
/// aggregation is Core's (<see cref="LossAggregation"/>).
/// <para>A token outside a compact vocabulary has no output row, so the model cannot predict it: its text is
/// re-encoded one character at a time (keeping its mask and capability), as prompts are (<c>PromptEncoder</c>), or
/// dropped when that fails; both are counted. A sample longer than <paramref name="maxLength"/> keeps its start.</para>
/// </summary>
public static class HeldOutLoss
{
    public static LossScores Measure(LlamaForCausalLM model, TokenVocabulary vocabulary, LoadedTokenizer? tokenizer, IReadOnlyList<LossSample> samples, int maxLength, int batchSize = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        long remapped = 0, dropped = 0;
        int truncated = 0;
        var fitted = new List<Fitted>();
        foreach (var sample in samples)
        {
            var f = Fit(sample, vocabulary, tokenizer, ref remapped, ref dropped);
            if (f.Tokens.Length > maxLength)
            {
                truncated++;
                f = f with { Tokens = f.Tokens[..maxLength], Loss = f.Loss[..maxLength], Capabilities = f.Capabilities[..maxLength] };
            }

            fitted.Add(f);
        }

        var scored = new ScoredSample[fitted.Count];
        var order = Enumerable.Range(0, fitted.Count).OrderBy(i => fitted[i].Tokens.Length).ToArray();
        var device = model.parameters().First().device;
        model.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < order.Length; start += Math.Max(1, batchSize))
        {
            var batch = order.Skip(start).Take(Math.Max(1, batchSize)).ToArray();
            int length = Math.Max(2, batch.Max(i => fitted[i].Tokens.Length));
            var rows = batch.Select(i => Row(fitted[i], length, vocabulary.EndOfText)).ToList();
            var packed = PackedBatch.Create(rows, vocabulary);
            var capabilities = batch.Select(_ => new List<Capability>()).ToArray();
            var losses = batch.Select(_ => new List<double>()).ToArray();
            if (packed.SupervisedTokens > 0)
            {
                using var scope = NewDisposeScope();
                var perToken = NextTokenLoss.PerToken(model, packed.ToTensors(device)).to(ScalarType.Float64).cpu().data<double>().ToArray();
                for (int k = 0; k < perToken.Length; k++)
                {
                    // Column j predicts column j + 1, whose capability the loss belongs to.
                    int r = (int)(packed.SupervisedIndex[k] / length), j = (int)(packed.SupervisedIndex[k] % length) + 1;
                    capabilities[r].Add(fitted[batch[r]].Capabilities[j]);
                    losses[r].Add(perToken[k]);
                }
            }

            for (int r = 0; r < batch.Length; r++)
            {
                var f = fitted[batch[r]];
                scored[batch[r]] = new ScoredSample(f.Set, LossSuite.KindName(f.Kind), capabilities[r], losses[r]);
            }
        }

        return LossAggregation.Summarize(scored, truncated, remapped, dropped);
    }

    private static PackedRow Row(Fitted f, int length, int padding)
    {
        var tokens = new int[length];
        var loss = new byte[length];
        Array.Fill(tokens, padding);
        f.Tokens.CopyTo(tokens);
        f.Loss.CopyTo(loss);
        return new PackedRow(tokens, loss, [(0, f.Tokens.Length, 0)]);
    }

    private static Fitted Fit(LossSample sample, TokenVocabulary vocabulary, LoadedTokenizer? tokenizer, ref long remapped, ref long dropped)
    {
        var s = sample.Sample;
        var tokens = new List<int>(s.Length);
        var loss = new List<byte>(s.Length);
        var capabilities = new List<Capability>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            int[] ids = vocabulary.ToModel(s.Tokens[i]) >= 0 ? [s.Tokens[i]] : Reencode(s.Tokens[i], vocabulary, tokenizer);
            if (ids.Length == 0)
            {
                dropped++;
                continue;
            }

            remapped += ids.Length == 1 && ids[0] == s.Tokens[i] ? 0 : 1;
            foreach (var id in ids)
            {
                tokens.Add(id);
                loss.Add(s.Loss[i]);
                capabilities.Add(s.Capabilities[i]);
            }
        }

        return new Fitted(sample.Set, s.Kind, [.. tokens], [.. loss], [.. capabilities]);
    }

    /// <summary>The token's text as tokenizer ids the model has rows for, one character at a time; empty when impossible.</summary>
    private static int[] Reencode(int id, TokenVocabulary vocabulary, LoadedTokenizer? tokenizer)
    {
        if (tokenizer is null)
        {
            return [];
        }

        var ids = new List<int>();
        foreach (var rune in (tokenizer.Tokenizer.Decode([id]) ?? string.Empty).EnumerateRunes())
        {
            ids.AddRange(tokenizer.Encode(rune.ToString()));
        }

        return ids.Count > 0 && ids.TrueForAll(i => vocabulary.ToModel(i) >= 0) ? [.. ids] : [];
    }

    private sealed record Fitted(string Set, ConversationKind Kind, int[] Tokens, byte[] Loss, Capability[] Capabilities);
}
