namespace AgentFlan.Conversations;

/// <summary>
/// One turn. Assistant turns may carry a <see cref="Thought"/> (the reasoning before acting) and
/// structured <see cref="ToolCalls"/>; tool turns carry the result in <see cref="Content"/> and the
/// <see cref="ToolCallId"/> they answer. <see cref="Loss"/> says whether the turn is trained on.
/// </summary>
public sealed record Message(Role Role, string Content)
{
    public string? Thought { get; init; }

    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    public string? ToolCallId { get; init; }

    /// <summary>For tool turns: the name of the tool whose result this is.</summary>
    public string? Name { get; init; }

    public bool Loss { get; init; } = true;

    public static Message System(string content) => new(Role.System, content) { Loss = false };

    public static Message User(string content) => new(Role.User, content) { Loss = false };

    public static Message Assistant(string content) => new(Role.Assistant, content);

    public static Message ToolResult(string name, string content, string? callId = null) =>
        new(Role.Tool, content) { Name = name, ToolCallId = callId, Loss = false };
}
