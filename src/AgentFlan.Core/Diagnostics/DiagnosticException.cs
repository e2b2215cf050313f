namespace AgentFlan.Diagnostics;

/// <summary>Carries located diagnostics out of deep code; hosts catch it and report each one.</summary>
public sealed class DiagnosticException : Exception
{
    public DiagnosticException(IReadOnlyList<Diagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public DiagnosticException(Diagnostic diagnostic)
        : this([diagnostic])
    {
    }

    public DiagnosticException()
        : this([])
    {
    }

    public DiagnosticException(string message)
        : this(Diagnostic.Error(DiagnosticCodes.InternalError, message))
    {
    }

    public DiagnosticException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [Diagnostic.Error(DiagnosticCodes.InternalError, message)];
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
