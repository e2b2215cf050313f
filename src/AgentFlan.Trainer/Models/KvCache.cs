using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, so that each generation step feeds only the new
/// token. Buffers are allocated once for <see cref="Capacity"/> positions ([batch, kv_heads, capacity, head_dim],
/// keys after rotary embedding, before the grouped-query repeat) and filled in place; <see cref="Length"/> is the
/// number of positions written. Owned by the caller: dispose it after generation.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(LlamaConfig config, long batch, int capacity, Device device)
    {
        Capacity = capacity;
        _keys = new Tensor[config.NumHiddenLayers];
        _values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            _keys[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], device: device).DetachFromDisposeScope();
            _values[i] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], device: device).DetachFromDisposeScope();
        }
    }

    public int Capacity { get; }

    /// <summary>Positions already written (the next token goes to column <see cref="Length"/>).</summary>
    public int Length { get; private set; }

    /// <summary>Writes <paramref name="keys"/> and <paramref name="values"/> ([batch, kv_heads, n, head_dim]) of layer
    /// <paramref name="layer"/> at column <see cref="Length"/> and returns views of everything written so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        int n = (int)keys.shape[2];
        if (Length + n > Capacity)
        {
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Length + n} were asked for.");
        }

        _keys[layer].narrow(2, Length, n).copy_(keys);
        _values[layer].narrow(2, Length, n).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + n), _values[layer].narrow(2, 0, Length + n));
    }

    /// <summary>Called once per forward pass, after every layer appended its <paramref name="n"/> new positions.</summary>
    internal void Advance(int n) => Length += n;

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
        {
            tensor.Dispose();
        }
    }
}
