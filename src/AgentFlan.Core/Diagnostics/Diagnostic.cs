namespace AgentFlan.Diagnostics;

/// <summary>
/// One located problem. Core never logs: it returns these, and each host (MSBuild task, CLI, trainer)
/// prints them in MSBuild's canonical format so IDEs and CI annotate the right line.
/// Line and column are 1-based; 0 means "not known".
/// </summary>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string? File,
    int Line,
    int Column,
    string Message)
{
    public static Diagnostic Error(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, DiagnosticSeverity.Error, file, line, column, message);

    public static Diagnostic Warning(string code, string message, string? file = null, int line = 0, int column = 0) =>
        new(code, DiagnosticSeverity.Warning, file, line, column, message);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Canonical form: <c>file(line,col): error AFB0001: message</c>.</summary>
    public override string ToString()
    {
        var origin = File ?? "agentflan";
        if (File is not null && Line > 0)
        {
            origin += Column > 0 ? $"({Line},{Column})" : $"({Line})";
        }

        var kind = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "message",
        };
        return $"{origin}: {kind} {Code}: {Message}";
    }
}
