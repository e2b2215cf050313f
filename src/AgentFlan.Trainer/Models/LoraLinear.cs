using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// A low-rank adapter around a frozen projection (Hu et al. 2021): y = W·x + (α/r)·B·A·dropout(x), with A
/// [r, in] drawn like a Linear layer's weight and B [out, r] zero, so training starts from the base model
/// exactly. Parameter names follow PEFT's (base_layer.weight, lora_A.weight, lora_B.weight) minus its
/// adapter name, which keeps the adapter export a renaming.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    // Field names are the parameter names; RegisterComponents uses them.
    private readonly Linear base_layer;
    private readonly Linear lora_A;
    private readonly Linear lora_B;
    private readonly Dropout lora_dropout;

    /// <summary>Wraps <paramref name="baseLayer"/> and freezes its weight; A is drawn from TorchSharp's global generator.</summary>
    public LoraLinear(Linear baseLayer, int rank, double alpha, double dropout)
        : base(nameof(LoraLinear))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        base_layer = baseLayer;
        var weight = baseLayer.weight!;
        weight.requires_grad = false;
        long outputs = weight.shape[0], inputs = weight.shape[1];
        lora_A = nn.Linear(inputs, rank, hasBias: false, device: weight.device);
        lora_B = nn.Linear(rank, outputs, hasBias: false, device: weight.device);
        using (no_grad())
        {
            lora_B.weight!.zero_();
        }

        lora_dropout = nn.Dropout(dropout);
        Scaling = alpha / rank;
        RegisterComponents();
    }

    /// <summary>α / r.</summary>
    public double Scaling { get; }

    public Linear Base => base_layer;

    public Parameter A => lora_A.weight!;

    public Parameter B => lora_B.weight!;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var update = lora_B.forward(lora_A.forward(lora_dropout.forward(x)));
        return (base_layer.forward(x) + (update * Scaling)).MoveToOuterDisposeScope();
    }

    /// <summary>W + (α/r)·B·A: the weight of an ordinary Linear layer that computes what this one does in eval mode.</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        return base_layer.weight! + (B.matmul(A) * Scaling);
    }
}
