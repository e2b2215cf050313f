using AgentFlan.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Starts AgentFlan.Trainer in its own process (TorchSharp never loads inside an MSBuild node). Its progress
/// lines are logged at high importance so they show on a terminal; its canonical <c>file: error AFB5xxx:</c>
/// lines become build errors through ToolTask's canonical-error parsing.
/// </summary>
public sealed class RunTrainer : ToolTask
{
    [Required]
    public string TrainerAssembly { get; set; } = string.Empty;

    [Required]
    public string JobFile { get; set; } = string.Empty;

    protected override string ToolName => "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : ToolName;

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(TrainerAssembly);
        builder.AppendSwitch("train");
        builder.AppendSwitchIfNotNull("--job ", JobFile);
        return builder.ToString();
    }

    protected override bool ValidateParameters()
    {
        if (!File.Exists(TrainerAssembly))
        {
            Log.Log(Diagnostic.Error(DiagnosticCodes.TrainerFailed, $"The trainer '{TrainerAssembly}' does not exist; build src/AgentFlan.Trainer first."));
            return false;
        }

        return true;
    }

    protected override bool HandleTaskExecutionErrors()
    {
        if (!Log.HasLoggedErrors)
        {
            Log.Log(Diagnostic.Error(DiagnosticCodes.TrainerFailed, $"The trainer exited with code {ExitCode} without reporting an error; see its output above.", JobFile));
        }

        return false;
    }
}
