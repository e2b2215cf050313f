namespace AgentFlan.Conversations;

/// <summary>What a sample teaches; the report counts supervised tokens per kind.</summary>
public enum ConversationKind
{
    /// <summary>Tool use rendered as natural multi-turn chat.</summary>
    AgentChat,

    /// <summary>Tool use kept in the rigid ReAct format.</summary>
    AgentReact,

    /// <summary>An explicit request for a given output format.</summary>
    FormatFollowing,

    /// <summary>Teaches when not to call a tool.</summary>
    Negative,

    /// <summary>Ordinary chat with no tools.</summary>
    General,
}
