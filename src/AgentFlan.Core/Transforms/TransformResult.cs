using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>The transformed conversations, the per-sample rendering plan for the tokenizer, and what happened.</summary>
public sealed record TransformResult(IReadOnlyList<Conversation> Conversations, RenderPlan Plan, TransformStatistics Statistics)
{
    /// <summary>The conversations <c>held_out.fraction</c> kept out of training, for the evaluation (held_out.jsonl).</summary>
    public IReadOnlyList<Conversation> HeldOut { get; init; } = [];
}
