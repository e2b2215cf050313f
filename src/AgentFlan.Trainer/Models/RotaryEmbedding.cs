using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// Rotary position embedding (Su et al. 2021) in the Hugging Face Llama layout: each head's vector is split
/// into halves that rotate as pairs (x[i], x[i + d/2]). Positions come from the batch, not from the token's
/// column, so they restart at 0 at every document of a packed row.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>cos and sin tables of shape [maxPositions, headDim].</summary>
    public static (Tensor Cos, Tensor Sin) Tables(int headDim, int maxPositions, double theta)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Float64) / headDim;
        var inverseFrequencies = pow(theta, exponents).reciprocal();
        var angles = outer(arange(maxPositions, dtype: ScalarType.Float64), inverseFrequencies);
        var both = cat([angles, angles], dim: -1);
        return scope.MoveToOuter(both.cos().to(ScalarType.Float32), both.sin().to(ScalarType.Float32));
    }

    /// <summary>Rotates <paramref name="x"/> [batch, heads, length, headDim] by per-token cos/sin [batch, 1, length, headDim].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var first = x.narrow(-1, 0, half);
        var second = x.narrow(-1, half, half);
        var rotated = cat([-second, first], dim: -1);
        return ((x * cos) + (rotated * sin)).MoveToOuterDisposeScope();
    }
}
