using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// How an agent conversation's assistant turns are written (Agent-FLAN step 1). The canonical model is the
/// same for all three; only the chat template turns it into text.
/// </summary>
public enum RenderForm
{
    /// <summary>Natural multi-turn chat: the thought as prose, calls in the template family's own tool-call syntax.</summary>
    Chat,

    /// <summary>The rigid ReAct text format: Thought / Action / Action Input, then Final Answer.</summary>
    React,

    /// <summary>One JSON object per step: thought, tool name and arguments, or the final answer.</summary>
    Json,
}

/// <summary>The form a conversation gets when no transform chose one: ReAct for <see cref="ConversationKind.AgentReact"/>, chat otherwise.</summary>
public static class RenderForms
{
    public static RenderForm Default(ConversationKind kind) => kind == ConversationKind.AgentReact ? RenderForm.React : RenderForm.Chat;

    public static string Name(RenderForm form) => form switch
    {
        RenderForm.React => "react",
        RenderForm.Json => "json",
        _ => "chat",
    };
}
