using System.Text.Json;
using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>Maps one parsed record to a conversation, or throws <see cref="RecordRejectedException"/>.</summary>
internal delegate Conversation RecordMapper(JsonElement record, RecordContext context);
