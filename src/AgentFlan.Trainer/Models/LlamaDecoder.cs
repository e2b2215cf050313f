using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// The Llama trunk (Hugging Face <c>LlamaModel</c>): token embedding, decoder layers and the final norm.
/// Returns normalised hidden states; the output head lives in <see cref="LlamaForCausalLM"/>.
/// </summary>
public sealed partial class LlamaDecoder : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    // Field names are the checkpoint's parameter names (Hugging Face's); RegisterComponents uses them.
    private readonly Embedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly int _headDim;

    // Held in a plain object so RegisterComponents does not make them buffers: they are derived from the
    // config and must not land in the checkpoint.
    private readonly RotaryTables _rotary;

    public LlamaDecoder(LlamaConfig config)
        : base(nameof(LlamaDecoder))
    {
        _headDim = config.HeadDim;
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = new ModuleList<DecoderLayer>([.. Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DecoderLayer(config))]);
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        var (cos, sin) = RotaryEmbedding.Tables(_headDim, config.MaxPositionEmbeddings, config.RopeTheta);
        _rotary = new RotaryTables(cos, sin);
        RegisterComponents();
    }

    public Embedding Embedding => embed_tokens;

    public IReadOnlyList<DecoderLayer> Layers => [.. layers];

    /// <param name="tokens">[batch, length] token ids (model id space).</param>
    /// <param name="positions">[batch, length] position of each token within its document.</param>
    /// <param name="mask">[batch, 1, length, length] boolean, true where a query may attend to a key.</param>
    public override Tensor forward(Tensor tokens, Tensor positions, Tensor mask) => Run(tokens, positions, mask, cache: null);

    /// <summary>The one decoder pass; with a cache, each layer attends to the cached positions too and the cache advances.</summary>
    private Tensor Run(Tensor tokens, Tensor positions, Tensor mask, KvCache? cache)
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
        int index = 0;
        foreach (var layer in layers)
        {
            x = cache is null ? layer.forward(x, context) : layer.ForwardCached(x, context, cache, index);
            index++;
        }

        cache?.Advance((int)length);
        return norm.forward(x).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rotary.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The rotary cos/sin tables, moved to the input's device on first use there.</summary>
    private sealed class RotaryTables(Tensor cos, Tensor sin) : IDisposable
    {
        private Tensor _cos = cos;
        private Tensor _sin = sin;

        public (Tensor Cos, Tensor Sin) On(Device device)
        {
            if (_cos.device != device)
            {
                var (movedCos, movedSin) = (_cos.to(device).DetachFromDisposeScope(), _sin.to(device).DetachFromDisposeScope());
                Dispose();
                (_cos, _sin) = (movedCos, movedSin);
            }

            return (_cos, _sin);
        }

        public void Dispose()
        {
            _cos.Dispose();
            _sin.Dispose();
        }
    }
}
