using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>Which conversations the transforms treat as agent data.</summary>
internal static class Kinds
{
    public static bool IsAgent(ConversationKind kind) =>
        kind is ConversationKind.AgentChat or ConversationKind.AgentReact or ConversationKind.FormatFollowing;

    public static bool HasCalls(Conversation conversation) => conversation.Messages.Any(m => m.ToolCalls.Count > 0);

    /// <summary>Tool-use trajectories that alignment may rewrite and the other transforms build from.</summary>
    public static bool IsTrajectory(Conversation conversation) => IsTrajectory(conversation.Kind, HasCalls(conversation));

    public static bool IsTrajectory(ConversationKind kind, bool hasCalls) =>
        kind is ConversationKind.AgentChat or ConversationKind.AgentReact && hasCalls;
}
