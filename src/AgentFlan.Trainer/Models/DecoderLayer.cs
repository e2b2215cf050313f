using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>One pre-norm Llama block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed partial class DecoderLayer : nn.Module<Tensor, AttentionContext, Tensor>
{
    // Field names are the checkpoint's parameter names (Hugging Face's); RegisterComponents uses them.
    private readonly RmsNorm input_layernorm;
    private readonly Attention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly FeedForward mlp;

    public DecoderLayer(LlamaConfig config)
        : base(nameof(DecoderLayer))
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        self_attn = new Attention(config);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        mlp = new FeedForward(config);
        RegisterComponents();
    }

    public Attention SelfAttention => self_attn;

    public FeedForward Mlp => mlp;

    public override Tensor forward(Tensor x, AttentionContext context) => Run(x, context, cache: null, layer: 0);

    private Tensor Run(Tensor x, AttentionContext context, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var attended = cache is null ? self_attn.forward(input_layernorm.forward(x), context) : self_attn.ForwardCached(input_layernorm.forward(x), context, cache, layer);
        var h = x + attended;
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
