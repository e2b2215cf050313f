using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AgentFlan.Trainer.Models;

/// <summary>SwiGLU feed-forward (Shazeer 2020): down(silu(gate(x)) · up(x)).</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    // Field names are the checkpoint's parameter names (Hugging Face's); RegisterComponents uses them. The
    // projections are typed as modules so that LoRA (LoraLinear) can wrap them in place.
    private readonly nn.Module<Tensor, Tensor> gate_proj;
    private readonly nn.Module<Tensor, Tensor> up_proj;
    private readonly nn.Module<Tensor, Tensor> down_proj;

    public FeedForward(LlamaConfig config)
        : base(nameof(FeedForward))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The projection that writes into the residual stream (scaled at initialisation, before any LoRA wrapping).</summary>
    public Linear OutputProjection => (Linear)down_proj;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(F.silu(gate_proj.forward(x)) * up_proj.forward(x)).MoveToOuterDisposeScope();
    }
}
