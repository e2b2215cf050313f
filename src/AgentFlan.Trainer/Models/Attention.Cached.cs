using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>The incremental (KV-cached) path of <see cref="Attention"/>, used by generation only.</summary>
public sealed partial class Attention
{
    /// <summary>
    /// Attends the <c>n</c> new positions of <paramref name="x"/> [batch, n, hidden] to every cached position plus
    /// themselves. <paramref name="context"/>'s mask is [batch, 1, n, cached + n].
    /// </summary>
    public Tensor ForwardCached(Tensor x, AttentionContext context, KvCache cache, int layer) => Attend(x, context, cache, layer);
}
