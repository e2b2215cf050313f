using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>The incremental (KV-cached) path of <see cref="DecoderLayer"/>, used by generation only.</summary>
public sealed partial class DecoderLayer
{
    public Tensor ForwardCached(Tensor x, AttentionContext context, KvCache cache, int layer) => Run(x, context, cache, layer);
}
