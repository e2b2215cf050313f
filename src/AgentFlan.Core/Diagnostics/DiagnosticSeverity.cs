namespace AgentFlan.Diagnostics;

public enum DiagnosticSeverity
{
    Error,
    Warning,
    Message,
}
