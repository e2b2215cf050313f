namespace AgentFlan.Templates;

/// <summary>The literal strings that open and close each role's turn in a chat template.</summary>
public sealed record RoleMarkers(
    string SystemBegin,
    string SystemEnd,
    string UserBegin,
    string UserEnd,
    string AssistantBegin,
    string AssistantEnd,
    string ToolBegin,
    string ToolEnd,
    string Prefix = "");
