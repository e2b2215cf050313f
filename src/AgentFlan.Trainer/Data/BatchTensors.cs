using static TorchSharp.torch;

namespace AgentFlan.Trainer.Data;

/// <summary>The tensors of one <see cref="PackedBatch"/> (shapes in its documentation).</summary>
public sealed record BatchTensors(Tensor Tokens, Tensor Positions, Tensor Mask, Tensor SupervisedIndex, Tensor Targets);
