using AgentFlan.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Starts AgentFlan.Trainer's <c>evaluate --job</c> or <c>experiment --plan</c> in its own process (TorchSharp never
/// loads inside an MSBuild node). Progress is logged at high importance; canonical error lines become build errors.
/// </summary>
public sealed class RunEvaluator : ToolTask
{
    [Required]
    public string TrainerAssembly { get; set; } = string.Empty;

    /// <summary><c>evaluate</c> (with an evaluation job) or <c>experiment</c> (with a plan).</summary>
    [Required]
    public string Command { get; set; } = string.Empty;

    [Required]
    public string File { get; set; } = string.Empty;

    protected override string ToolName => "dotnet";

    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

    protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

    protected override string GenerateFullPathToTool() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && System.IO.File.Exists(host) ? host : ToolName;

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(TrainerAssembly);
        builder.AppendSwitch(Command);
        builder.AppendSwitchIfNotNull(Command == "experiment" ? "--plan " : "--job ", File);
        return builder.ToString();
    }

    protected override bool ValidateParameters()
    {
        if (Command is not ("evaluate" or "experiment"))
        {
            Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, $"RunEvaluator.Command must be 'evaluate' or 'experiment', not '{Command}'."));
            return false;
        }

        if (!System.IO.File.Exists(TrainerAssembly))
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
            Log.Log(Diagnostic.Error(DiagnosticCodes.TrainerFailed, $"The trainer exited with code {ExitCode} without reporting an error; see its output above.", File));
        }

        return false;
    }
}
