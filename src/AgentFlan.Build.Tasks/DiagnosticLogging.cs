using AgentFlan.Diagnostics;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>Turns Core diagnostics into MSBuild errors and warnings with code, file, line and column.</summary>
internal static class DiagnosticLogging
{
    public static void Log(this TaskLoggingHelper log, Diagnostic diagnostic)
    {
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                log.LogError(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
                break;
            case DiagnosticSeverity.Warning:
                log.LogWarning(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, diagnostic.Message);
                break;
            default:
                log.LogMessage(null, diagnostic.Code, null, diagnostic.File, diagnostic.Line, diagnostic.Column, 0, 0, Microsoft.Build.Framework.MessageImportance.Normal, diagnostic.Message);
                break;
        }
    }

    public static void Log(this TaskLoggingHelper log, IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            log.Log(diagnostic);
        }
    }

    /// <summary>Logs an unexpected exception as AFB9001 (a bug), keeping the stack for the build log.</summary>
    public static void LogInternalError(this TaskLoggingHelper log, Exception exception, string? file)
    {
        log.LogError(null, DiagnosticCodes.InternalError, null, file, 0, 0, 0, 0, $"Internal error: {exception.Message}");
        log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, exception.ToString());
    }
}
