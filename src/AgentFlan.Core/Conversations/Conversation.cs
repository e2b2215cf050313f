namespace AgentFlan.Conversations;

/// <summary>
/// The canonical sample every reader produces and every transform consumes (DESIGN.md §3).
/// Rendering to text happens only in the chat template, so one conversation can become ReAct,
/// JSON calls or natural chat.
/// </summary>
public sealed record Conversation(
    string Id,
    Provenance Provenance,
    IReadOnlyList<ToolSpec> Tools,
    IReadOnlyList<Message> Messages)
{
    public ConversationKind Kind { get; init; } = ConversationKind.AgentChat;
}
