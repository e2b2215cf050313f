using System.Collections;
using Microsoft.Build.Framework;

namespace AgentFlan.TestUtilities;

/// <summary>Records what a task logs, with codes and locations, so tests assert on them.</summary>
public sealed class FakeBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "fake.proj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException("The fake engine does not build projects.");

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

    public string AllText => string.Join(
        Environment.NewLine,
        Errors.Select(e => $"error {e.Code}: {e.Message}")
            .Concat(Warnings.Select(w => $"warning {w.Code}: {w.Message}"))
            .Concat(Messages.Select(m => m.Message)));
}
