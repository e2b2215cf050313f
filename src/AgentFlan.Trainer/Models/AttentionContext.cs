using static TorchSharp.torch;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// What every attention layer of one forward pass shares: the rotary cos/sin gathered at each token's
/// position within its document ([batch, 1, length, headDim]) and the boolean attention mask
/// ([batch, 1, length, length], true = may attend).
/// </summary>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor Mask);
