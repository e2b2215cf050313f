using AgentFlan.Conversations;
using AgentFlan.Templates;

namespace AgentFlan.Evaluation;

/// <summary>What a right answer to an <see cref="EvaluationCase"/> looks like.</summary>
public enum Expectation
{
    /// <summary>Plain text: no call, no ReAct scaffolding, no announced tool use (the cases HScore is computed on).</summary>
    PlainText,

    /// <summary>A tool call whose name and arguments are known.</summary>
    Call,

    /// <summary>An answer in the ReAct format the user asked for.</summary>
    ReactFormat,

    /// <summary>An answer in the JSON format the user asked for.</summary>
    JsonFormat,
}

/// <summary>
/// One held-out prompt: the conversation up to (not including) the assistant turn the model must write, the form
/// the prompt is rendered in, and what a right answer is. <see cref="ExpectedCall"/> is the first call of the
/// reference turn when <see cref="Expect"/> is <see cref="Expectation.Call"/> (or a format request about a call).
/// </summary>
public sealed record EvaluationCase(
    string Id,
    string Suite,
    string Category,
    Conversation Prompt,
    RenderForm Form,
    Expectation Expect,
    ToolCall? ExpectedCall,
    string Reference)
{
    /// <summary>The user turn the model answers (the last one of the prompt).</summary>
    public string Query => Prompt.Messages.Last(m => m.Role == Role.User).Content;
}
