namespace AgentFlan.Evaluation;

/// <summary>The suites and categories an evaluation reports, by the names recipes and reports use.</summary>
public static class SuiteNames
{
    public const string Hallucination = "hallucination";
    public const string ToolUse = "tool_use";
    public const string Loss = "loss";

    /// <summary>Tools offered, the query is ordinary conversation: answer without calling them.</summary>
    public const string ToolsNoNeed = "tools_offered/no_tool_needed";

    /// <summary>No tools offered, the query sounds like it needs one: say so in plain text, invent no call.</summary>
    public const string NoToolsNeed = "no_tools/tool_needed";

    /// <summary>No tools, ordinary chat.</summary>
    public const string NoToolsNoNeed = "no_tools/no_tool_needed";

    /// <summary>Tools offered and needed: the one cell of the 2×2 where a call is right.</summary>
    public const string ToolsNeed = "tools_offered/tool_needed";

    /// <summary>The user asks for the ReAct or JSON format explicitly (format-level requests).</summary>
    public const string FormatRequest = "format_request";

    public const string Call = "call";
    public const string NoCall = "no_call";
}
