using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AgentFlan.Trainer.Models;

/// <summary>The incremental (KV-cached) path of <see cref="Attention"/>, used by generation only.</summary>
public sealed partial class Attention
{
    /// <summary>
    /// Attends the <c>n</c> new positions of <paramref name="x"/> [batch, n, hidden] to every cached position plus
    /// themselves. <paramref name="context"/>'s mask is [batch, 1, n, cached + n].
    /// </summary>
    public Tensor ForwardCached(Tensor x, AttentionContext context, KvCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        var q = q_proj.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        var (keys, values) = cache.Append(layer, k, v);
        if (_kvHeads != _heads)
        {
            keys = keys.repeat_interleave(_heads / _kvHeads, dim: 1);
            values = values.repeat_interleave(_heads / _kvHeads, dim: 1);
        }

        var y = F.scaled_dot_product_attention(q, keys, values, attn_mask: context.Mask);
        y = y.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o_proj.forward(y).MoveToOuterDisposeScope();
    }
}
