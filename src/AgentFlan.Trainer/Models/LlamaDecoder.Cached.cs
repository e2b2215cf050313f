using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>The incremental (KV-cached) path of <see cref="LlamaDecoder"/>, used by generation only.</summary>
public sealed partial class LlamaDecoder
{
    /// <summary>
    /// Runs the <c>n</c> new tokens [batch, n] at <paramref name="positions"/> [batch, n] against the cache, appends
    /// their keys and values, and returns their normalised hidden states. <paramref name="mask"/> is
    /// [batch, 1, n, cache.Length + n], true where a new token may attend.
    /// </summary>
    public Tensor ForwardCached(Tensor tokens, Tensor positions, Tensor mask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        long batch = tokens.shape[0], length = tokens.shape[1];
        var (cos, sin) = _rotary.On(tokens.device);
        var flat = positions.reshape(-1);
        var context = new AttentionContext(
            cos.index_select(0, flat).view(batch, 1, length, _headDim),
            sin.index_select(0, flat).view(batch, 1, length, _headDim),
            mask);
        var x = embed_tokens.forward(tokens);
        int layer = 0;
        foreach (var block in layers)
        {
            x = block.ForwardCached(x, context, cache, layer++);
        }

        cache.Advance((int)length);
        return norm.forward(x).MoveToOuterDisposeScope();
    }
}
