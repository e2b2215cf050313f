using AgentFlan.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>What every <see cref="YamlMap"/> of one recipe shares: where nodes came from, and what was found.</summary>
internal sealed class RecipeReadContext
{
    private readonly Dictionary<YamlNode, string> _files;
    private readonly string _defaultFile;

    public RecipeReadContext(Dictionary<YamlNode, string> files, string defaultFile, List<Diagnostic> diagnostics)
    {
        _files = files;
        _defaultFile = defaultFile;
        Diagnostics = diagnostics;
    }

    public List<Diagnostic> Diagnostics { get; }

    /// <summary>Every key the reader asked for, as a schema path (<c>sources[].path</c>).</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    public string FileOf(YamlNode node) => _files.GetValueOrDefault(node, _defaultFile);

    public void Report(string code, DiagnosticSeverity severity, YamlNode at, string message)
    {
        var file = FileOf(at);
        Diagnostics.Add(file == RecipeDocument.OverridesOrigin
            ? new Diagnostic(code, severity, file, 0, 0, message + " (from AgentFlanOverrides)")
            : new Diagnostic(code, severity, file, (int)at.Start.Line, (int)at.Start.Column, message));
    }
}
