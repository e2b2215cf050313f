using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>The incremental (KV-cached) path of <see cref="DecoderLayer"/>, used by generation only.</summary>
public sealed partial class DecoderLayer
{
    public Tensor ForwardCached(Tensor x, AttentionContext context, KvCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.ForwardCached(input_layernorm.forward(x), context, cache, layer);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
