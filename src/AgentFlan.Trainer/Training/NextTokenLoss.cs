using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AgentFlan.Trainer.Training;

/// <summary>
/// Cross-entropy of the supervised next tokens only. The hidden states of supervised positions are
/// gathered before the output layer, so the (vocabulary-sized) logits are computed for those positions
/// alone: with assistant-only loss that is a fraction of the row, and the output layer is the most
/// expensive matrix product of a small model.
/// </summary>
public static class NextTokenLoss
{
    /// <summary>One loss per supervised token, in <see cref="PackedBatch.SupervisedIndex"/> order.</summary>
    public static Tensor PerToken(LlamaForCausalLM model, BatchTensors batch)
    {
        using var scope = NewDisposeScope();
        var hidden = model.HiddenStates(batch.Tokens, batch.Positions, batch.Mask);
        var selected = hidden.reshape(-1, hidden.shape[^1]).index_select(0, batch.SupervisedIndex);
        var logits = model.Logits(selected);
        return F.cross_entropy(logits, batch.Targets, reduction: nn.Reduction.None).MoveToOuterDisposeScope();
    }
}
