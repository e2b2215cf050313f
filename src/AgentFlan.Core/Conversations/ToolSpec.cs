using System.Text.Json.Nodes;

namespace AgentFlan.Conversations;

/// <summary>A tool offered to the model: name, description and JSON-schema parameters.</summary>
public sealed record ToolSpec(string Name, string Description, JsonObject Parameters);
