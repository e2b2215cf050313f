using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>
/// Collects a conversation's messages and pairs tool results with the calls they answer: each result takes
/// the oldest unanswered call of the latest assistant turn. Sources without call ids get <c>call_1</c>,
/// <c>call_2</c>, … in order, so results stay linked to their calls after any transform.
/// </summary>
internal sealed class ConversationBuilder
{
    private readonly List<Message> _messages = [];
    private readonly Queue<ToolCall> _pending = new();
    private int _calls;

    public List<ToolSpec> Tools { get; } = [];

    public IReadOnlyList<Message> Messages => _messages;

    public bool HasPendingCall => _pending.Count > 0;

    public ToolCall Call(string name, JsonObject arguments, string? id = null) =>
        string.IsNullOrWhiteSpace(name)
            ? throw new RecordRejectedException(ReaderCodes.InvalidToolCall, "a tool call has no name")
            : new ToolCall(name, arguments, id ?? $"call_{++_calls}");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(Message message)
    {
        if (message.Role == Role.Assistant)
        {
            _pending.Clear();
            foreach (var call in message.ToolCalls)
            {
                _pending.Enqueue(call);
            }
        }

        _messages.Add(message);
    }

    /// <summary>Marks the latest calls as answered without a result (terminal calls such as answers).</summary>
    public void ClearPending() => _pending.Clear();

    /// <summary>Replaces the latest message (to set a flag read after it was added); calls stay as they were.</summary>
    public void ReplaceLast(Message message) => _messages[^1] = message;

    /// <summary>Adds the result of the oldest unanswered call; rejects the record when there is none.</summary>
    public void AddToolResult(string content, string? name = null)
    {
        if (!_pending.TryDequeue(out var call))
        {
            throw new RecordRejectedException(ReaderCodes.OrphanToolResult, $"turn {_messages.Count} is a tool result but no tool call precedes it");
        }

        _messages.Add(Message.ToolResult(name ?? call.Name, content, call.Id));
    }

    /// <summary>The conversation; kind AgentChat when tools are offered or called, General otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Conversation Build(string id, Provenance where, ConversationKind? kind = null)
    {
        if (!_messages.Exists(message => message.Content.Length > 0 || message.ToolCalls.Count > 0))
        {
            throw new RecordRejectedException(ReaderCodes.EmptyConversation, "the record has no turn with text or a tool call");
        }

        var agentic = Tools.Count > 0 || _messages.Exists(message => message.ToolCalls.Count > 0);
        return new Conversation(id, where, [.. Tools], [.. _messages])
        {
            Kind = kind ?? (agentic ? ConversationKind.AgentChat : ConversationKind.General),
        };
    }
}
