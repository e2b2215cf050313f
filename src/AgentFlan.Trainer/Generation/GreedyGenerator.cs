using AgentFlan.Trainer.Models;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Generation;

/// <summary>
/// Greedy decoding for a batch of prompts of different lengths. Prompts are left-padded to a common length;
/// padding is never attended to (each padding query attends only to itself, which keeps softmax defined) and
/// positions start at 0 at each prompt's first real token, so a prompt's result does not depend on its batch.
/// With the KV cache (the default) the prompts are fed once and every step feeds one token per row; without it,
/// every step re-runs the whole sequence (the reference the cache is tested against). A row stops at the
/// end-of-text id, when <c>isFinished</c> says so, or after <c>maxNewTokens</c>.
/// </summary>
public sealed class GreedyGenerator(LlamaForCausalLM model, Device device)
{
    public IReadOnlyList<GeneratedSequence> Generate(
        IReadOnlyList<int[]> prompts,
        int maxNewTokens,
        Func<IReadOnlyList<int>, bool>? isFinished = null,
        bool useCache = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNewTokens, 1);
        if (prompts.Count == 0)
        {
            return [];
        }

        if (prompts.Any(p => p.Length == 0))
        {
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        }

        int batch = prompts.Count;
        int promptLength = prompts.Max(p => p.Length);
        int total = promptLength + maxNewTokens;
        if (prompts.Min(p => p.Length) + maxNewTokens > model.Config.MaxPositionEmbeddings || promptLength > model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"Prompt plus {maxNewTokens} new tokens exceeds the model's {model.Config.MaxPositionEmbeddings} positions.", nameof(prompts));
        }

        var pads = prompts.Select(p => promptLength - p.Length).ToArray();
        var tokens = new long[batch, total];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < prompts[b].Length; j++)
            {
                tokens[b, pads[b] + j] = prompts[b][j];
            }
        }

        var outputs = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var finished = new bool[batch];
        int eos = model.Config.EosTokenId ?? -1;

        using var noGrad = no_grad();
        model.eval();
        using var cache = useCache ? model.CreateCache(batch, total, device) : null;
        int length = promptLength;
        var next = useCache ? Step(cache!, tokens, pads, 0, promptLength) : Full(tokens, pads, promptLength);
        for (int t = 0; ; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                if (finished[b])
                {
                    continue;
                }

                outputs[b].Add(next[b]);
                finished[b] = next[b] == eos || (isFinished?.Invoke(outputs[b]) ?? false);
                tokens[b, length] = next[b];
            }

            length++;
            if (finished.All(f => f) || t + 1 >= maxNewTokens)
            {
                break;
            }

            next = useCache ? Step(cache!, tokens, pads, length - 1, 1) : Full(tokens, pads, length);
        }

        return [.. outputs.Select((o, b) => new GeneratedSequence(o, finished[b]))];
    }

    /// <summary>Feeds columns [start, start + n) through the cache; returns each row's most likely next token.</summary>
    private int[] Step(KvCache cache, long[,] tokens, int[] pads, int start, int n)
    {
        using var scope = NewDisposeScope();
        int batch = pads.Length;
        int keys = start + n;
        var ids = new long[batch * n];
        var positions = new long[batch * n];
        var mask = new bool[batch * n * keys];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < n; i++)
            {
                int column = start + i;
                ids[(b * n) + i] = tokens[b, column];
                positions[(b * n) + i] = Math.Max(0, column - pads[b]);
                for (int j = 0; j < keys; j++)
                {
                    mask[(((b * n) + i) * keys) + j] = (j <= column && j >= pads[b]) || j == column;
                }
            }
        }

        var hidden = model.HiddenStatesCached(
            tensor(ids, [batch, n], device: device),
            tensor(positions, [batch, n], device: device),
            tensor(mask, [batch, 1, n, keys], device: device),
            cache);
        return Argmax(hidden.select(1, n - 1));
    }

    /// <summary>Runs the first <paramref name="length"/> columns from scratch (no cache).</summary>
    private int[] Full(long[,] tokens, int[] pads, int length)
    {
        using var scope = NewDisposeScope();
        int batch = pads.Length;
        var ids = new long[batch * length];
        var positions = new long[batch * length];
        var mask = new bool[batch * length * length];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < length; i++)
            {
                ids[(b * length) + i] = tokens[b, i];
                positions[(b * length) + i] = Math.Max(0, i - pads[b]);
                for (int j = 0; j <= i; j++)
                {
                    mask[(((b * length) + i) * length) + j] = j >= pads[b] || j == i;
                }
            }
        }

        var hidden = model.HiddenStates(
            tensor(ids, [batch, length], device: device),
            tensor(positions, [batch, length], device: device),
            tensor(mask, [batch, 1, length, length], device: device));
        return Argmax(hidden.select(1, length - 1));
    }

    private int[] Argmax(Tensor lastHidden)
    {
        var best = model.Logits(lastHidden).argmax(-1).to(CPU).data<long>().ToArray();
        return [.. best.Select(x => (int)x)];
    }
}
