using System.Text.Json;
using AgentFlan.Diagnostics;
using AgentFlan.Evaluation;

namespace AgentFlan.Trainer.Evaluation;

/// <summary>
/// <c>AgentFlan.Trainer evaluate --job eval.json</c> and <c>AgentFlan.Trainer experiment --plan plan.json</c>.
/// Errors are canonical lines on stderr, as for <c>train</c>; exit codes: 0 done, 2 usage, 7 AFB6001 (no
/// checkpoint), 8 AFB6002 (job or plan invalid), training codes as <c>train</c> for an experiment's runs.
/// </summary>
internal static class EvaluationCommand
{
    public const string Usage = "usage: AgentFlan.Trainer evaluate --job <eval.json> | experiment --plan <plan.json>";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is not ([("evaluate" or "experiment") and var command, ("--job" or "--plan"), var fileArgument]))
        {
            stderr.WriteLine(Usage);
            return Program.UsageError;
        }

        var path = Path.GetFullPath(fileArgument);
        try
        {
            if (command == "evaluate")
            {
                EvaluationRunner.Run(Load(path, EvaluationJob.FromJson), path, stdout);
            }
            else
            {
                ExperimentRunner.Run(Load(path, ExperimentPlan.FromJson), path, stdout);
            }

            return Program.Success;
        }
        catch (DiagnosticException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                stderr.WriteLine(diagnostic.ToString());
            }

            return ExitCode(e.Diagnostics.FirstOrDefault(d => d.IsError)?.Code);
        }
        catch (Exception e)
        {
            stderr.WriteLine(Diagnostic.Error(DiagnosticCodes.InternalError, $"{e.GetType().Name}: {e.Message}", path).ToString());
            stderr.WriteLine(e.StackTrace);
            return Program.InternalFailure;
        }
    }

    internal static int ExitCode(string? code) => code switch
    {
        DiagnosticCodes.EvaluationCheckpointMissing => 7,
        DiagnosticCodes.EvaluationJobInvalid => 8,
        _ => Program.ExitCode(code),
    };

    private static T Load<T>(string path, Func<string, T> parse)
    {
        if (!File.Exists(path))
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationJobInvalid, $"The file '{path}' does not exist.", path));
        }

        try
        {
            return parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? -1) + 1;
            int column = (int)(e.BytePositionInLine ?? -1) + 1;
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationJobInvalid, $"The file is not valid: {e.Message}", path, line, column));
        }
    }
}
