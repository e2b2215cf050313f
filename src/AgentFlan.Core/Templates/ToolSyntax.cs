namespace AgentFlan.Templates;

/// <summary>How calls are written in the natural-chat form: a JSON object per call, or a sentence.</summary>
public enum ToolCallStyle
{
    /// <summary><c>{"name": …, "arguments": {…}}</c>, wrapped in the family's markers.</summary>
    Json,

    /// <summary><c>I'll use name with key = value, key = value.</c>: the arguments drawn out in prose.</summary>
    Prose,
}

/// <summary>Where a family puts the offered tools in the natural-chat form.</summary>
public enum ToolListPlacement
{
    /// <summary>Inside the system text, after the system prompt.</summary>
    System,

    /// <summary>As a turn of its own right after the system turn; <see cref="ToolSyntax.ListBegin"/> and <see cref="ToolSyntax.ListEnd"/> are its markers.</summary>
    OwnTurn,
}

/// <summary>
/// A template family's own tool syntax, used by the natural-chat form (<see cref="RenderForm.Chat"/>): how the
/// offered tools are listed, how a call is written, and how a result comes back. The ReAct and JSON forms are
/// the same text in every family.
/// </summary>
public sealed record ToolSyntax
{
    public ToolListPlacement ListPlacement { get; init; } = ToolListPlacement.System;

    /// <summary>Text before the tool specs (for <see cref="ToolListPlacement.OwnTurn"/>: the turn's opening marker).</summary>
    public string ListBegin { get; init; } = "You can use these tools:\n";

    /// <summary>Text after the tool specs.</summary>
    public string ListEnd { get; init; } = string.Empty;

    /// <summary>One JSON array of specs (true) or one spec per line (false).</summary>
    public bool ListAsArray { get; init; }

    /// <summary>Each spec as <c>{"type": "function", "function": {…}}</c> (OpenAI style), not the bare spec.</summary>
    public bool FunctionWrapper { get; init; }

    public ToolCallStyle CallStyle { get; init; } = ToolCallStyle.Json;

    /// <summary>Written once before the first call of a turn (Mistral: <c>[TOOL_CALLS] [</c>).</summary>
    public string CallsBegin { get; init; } = string.Empty;

    public string CallsSeparator { get; init; } = "\n";

    public string CallsEnd { get; init; } = string.Empty;

    /// <summary>Written around every call (Qwen: <c>&lt;tool_call&gt;\n</c> … <c>\n&lt;/tool_call&gt;</c>).</summary>
    public string CallBegin { get; init; } = string.Empty;

    public string CallEnd { get; init; } = string.Empty;

    public string NameKey { get; init; } = "name";

    public string ArgumentsKey { get; init; } = "arguments";

    /// <summary>Between the assistant's prose and its first call.</summary>
    public string ProseSeparator { get; init; } = "\n";

    /// <summary>Written before a result inside the tool turn; <c>{name}</c> is replaced by the tool's name.</summary>
    public string ResultBegin { get; init; } = string.Empty;

    public string ResultEnd { get; init; } = string.Empty;

    /// <summary>The result is written as a JSON value (itself when it parses, else a JSON string).</summary>
    public bool ResultAsJson { get; init; }

    /// <summary>Consecutive results share one tool turn, separated by <see cref="ResultSeparator"/> (Qwen).</summary>
    public bool MergeResults { get; init; }

    public string ResultSeparator { get; init; } = "\n";
}
