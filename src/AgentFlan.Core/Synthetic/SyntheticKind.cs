namespace AgentFlan.Synthetic;

/// <summary>The shapes of conversation the generator produces (issue 3).</summary>
public enum SyntheticKind
{
    /// <summary>One query, one tool call, an answer built from its result.</summary>
    SingleCall,

    /// <summary>One query that needs several tools in sequence, some fed by earlier results.</summary>
    MultiStep,

    /// <summary>A tool-using exchange followed by a second user turn that needs another call.</summary>
    FollowUp,

    /// <summary>The tool errors, returns nothing, or keeps failing until the assistant gives up.</summary>
    ToolFailure,

    /// <summary>Tools are offered but the query is ordinary conversation: no call is right.</summary>
    NoToolNeeded,

    /// <summary>The query sounds like it needs a tool but none is offered: answer in plain text.</summary>
    NoToolsOffered,

    /// <summary>General chat with no tools at all.</summary>
    GeneralChat,
}
