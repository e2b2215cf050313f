using System.Text.Json.Nodes;

namespace AgentFlan.Readers.Formats;

/// <summary>One assistant step of an AgentInstruct trajectory, read as a call.</summary>
internal sealed record AgentInstructAction(string? Thought, string Tool, JsonObject Arguments);
