using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>The incremental (KV-cached) path of <see cref="LlamaForCausalLM"/>, used by generation only.</summary>
public sealed partial class LlamaForCausalLM
{
    /// <summary>A cache for <paramref name="batch"/> sequences of up to <paramref name="capacity"/> tokens on <paramref name="device"/>.</summary>
    public KvCache CreateCache(long batch, int capacity, Device device) => new(Config, batch, capacity, device);

    /// <summary>Hidden states of the new tokens, appending their keys and values to <paramref name="cache"/>.</summary>
    public Tensor HiddenStatesCached(Tensor tokens, Tensor positions, Tensor mask, KvCache cache) =>
        model.ForwardCached(tokens, positions, mask, cache);
}
