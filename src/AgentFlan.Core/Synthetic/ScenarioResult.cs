using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>What a scenario builds: the tools offered, the turns, and what the sample teaches.</summary>
internal sealed record ScenarioResult(IReadOnlyList<ToolSpec> Tools, IReadOnlyList<Message> Messages, ConversationKind Kind);
