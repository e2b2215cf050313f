using System.Text.Json.Nodes;

namespace AgentFlan.Conversations;

/// <summary>A structured tool call: the tool's name and its arguments as a JSON object.</summary>
public sealed record ToolCall(string Name, JsonObject Arguments, string? Id = null);
