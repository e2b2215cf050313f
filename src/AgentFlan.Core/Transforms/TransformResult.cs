using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>The transformed conversations, the per-sample rendering plan for the tokenizer, and what happened.</summary>
public sealed record TransformResult(IReadOnlyList<Conversation> Conversations, RenderPlan Plan, TransformStatistics Statistics);
