using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// A Llama-family decoder with a language-model head. Parameter names match Hugging Face's
/// <c>LlamaForCausalLM</c> (model.embed_tokens.weight, model.layers.0.self_attn.q_proj.weight, …,
/// lm_head.weight), so the safetensors file lines up with config.json. With tied embeddings there is no
/// lm_head parameter: the output layer reuses the embedding matrix, as Hugging Face does.
/// </summary>
public sealed partial class LlamaForCausalLM : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private const double InitStd = 0.02;
    // Field names are the checkpoint's parameter names (Hugging Face's); RegisterComponents uses them.
    private readonly LlamaDecoder model;
    private readonly Linear? lm_head;

    /// <summary>Builds the model; initial weights come from TorchSharp's global generator (seed it first).</summary>
    public LlamaForCausalLM(LlamaConfig config)
        : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        model = new LlamaDecoder(config);
        lm_head = config.TieWordEmbeddings ? null : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();

        InitializeWeights();
    }

    public LlamaConfig Config { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Final normalised hidden states [batch, length, hidden].</summary>
    public Tensor HiddenStates(Tensor tokens, Tensor positions, Tensor mask) => model.forward(tokens, positions, mask);

    /// <summary>Output logits for hidden states of any leading shape.</summary>
    public Tensor Logits(Tensor hidden) =>
        lm_head is null ? F.linear(hidden, model.Embedding.weight!) : lm_head.forward(hidden);

    public override Tensor forward(Tensor tokens, Tensor positions, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return Logits(HiddenStates(tokens, positions, mask)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// GPT-2 style: N(0, 0.02) everywhere, and the two projections that write into the residual stream
    /// scaled by 1/√(2·layers) so the stream's variance does not grow with depth. Norm weights stay 1.
    /// </summary>
    private void InitializeWeights()
    {
        using var noGrad = no_grad();
        var residualStd = InitStd / Math.Sqrt(2.0 * Config.NumHiddenLayers);
        nn.init.normal_(model.Embedding.weight!, 0, InitStd);
        foreach (var layer in model.Layers)
        {
            foreach (var (name, parameter) in layer.named_parameters())
            {
                if (parameter.dim() == 2)
                {
                    nn.init.normal_(parameter, 0, InitStd);
                }
            }

            nn.init.normal_(layer.SelfAttention.OutputProjection.weight!, 0, residualStd);
            nn.init.normal_(layer.Mlp.OutputProjection.weight!, 0, residualStd);
        }

        if (lm_head is not null)
        {
            nn.init.normal_(lm_head.weight!, 0, InitStd);
        }
    }
}
