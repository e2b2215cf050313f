using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// Root-mean-square layer norm (Zhang &amp; Sennrich 2019), as in Llama: x / rms(x) · weight, no bias, no
/// mean subtraction. TorchSharp 0.107 has no nn.RMSNorm, hence this module.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;

    public RmsNorm(long dim, double eps)
        : base(nameof(RmsNorm))
    {
        _eps = eps;
        weight = new Parameter(ones(dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normed = x * (x.pow(2).mean([-1], keepdim: true) + _eps).rsqrt();
        return (normed * weight).MoveToOuterDisposeScope();
    }
}
