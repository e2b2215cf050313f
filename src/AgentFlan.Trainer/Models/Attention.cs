using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// Grouped-query self-attention: <c>num_attention_heads</c> query heads share <c>num_key_value_heads</c>
/// key/value heads. The mask carries both causality and the document boundaries of packed rows.
/// </summary>
public sealed partial class Attention : nn.Module<Tensor, AttentionContext, Tensor>
{
    // Field names are the checkpoint's parameter names (Hugging Face's); RegisterComponents uses them. The
    // projections are typed as modules so that LoRA (LoraLinear) can wrap them in place.
    private readonly nn.Module<Tensor, Tensor> q_proj;
    private readonly nn.Module<Tensor, Tensor> k_proj;
    private readonly nn.Module<Tensor, Tensor> v_proj;
    private readonly nn.Module<Tensor, Tensor> o_proj;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;

    public Attention(LlamaConfig config)
        : base(nameof(Attention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = nn.Linear(config.HiddenSize, _heads * _headDim, hasBias: false);
        k_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: false);
        v_proj = nn.Linear(config.HiddenSize, _kvHeads * _headDim, hasBias: false);
        o_proj = nn.Linear(_heads * _headDim, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The projection that writes into the residual stream (scaled at initialisation, before any LoRA wrapping).</summary>
    public Linear OutputProjection => (Linear)o_proj;

    public override Tensor forward(Tensor x, AttentionContext context) => Attend(x, context, cache: null, layer: 0);

    /// <summary>The one attention computation; with a cache, the new keys and values are appended and all are attended.</summary>
    private Tensor Attend(Tensor x, AttentionContext context, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        var q = q_proj.forward(x).view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = k_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.forward(x).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);
        }

        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }

        var y = F.scaled_dot_product_attention(q, k, v, attn_mask: context.Mask);
        y = y.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o_proj.forward(y).MoveToOuterDisposeScope();
    }
}
