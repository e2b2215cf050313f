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
    public Tensor ForwardCached(Tensor tokens, Tensor positions, Tensor mask, KvCache cache) => Run(tokens, positions, mask, cache);
}
