using System.Text.Json;
using AgentFlan.Diagnostics;
using AgentFlan.Trainer.Recipes;
using AgentFlan.Training;

namespace AgentFlan.Trainer;

/// <summary>
/// <c>AgentFlan.Trainer train --job job.json</c>. Progress goes to stdout, one flushed line at a time;
/// every failure is one canonical <c>file: error AFBnnnn: message</c> line on stderr (which the build's
/// ToolTask turns into a build error) and a non-zero exit code (docs/training.md lists them).
/// </summary>
internal static class Program
{
    public const int Success = 0;
    public const int InternalFailure = 1;
    public const int UsageError = 2;

    private const string Usage = "usage: AgentFlan.Trainer train --job <job.json>";

    private static int Main(string[] args)
    {
        NativeEnvironment.PreferPassiveOpenMpWaits();
        return Run(args, Console.Out, Console.Error);
    }

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["--help" or "-h" or "help"])
        {
            stdout.WriteLine(Usage);
            stdout.WriteLine(Evaluation.EvaluationCommand.Usage);
            return Success;
        }

        if (args is ["evaluate" or "experiment", ..])
        {
            return Evaluation.EvaluationCommand.Run(args, stdout, stderr);
        }

        if (args is not ["train", "--job", var jobArgument])
        {
            stderr.WriteLine(Usage);
            return UsageError;
        }

        var jobPath = Path.GetFullPath(jobArgument);
        try
        {
            var job = LoadJob(jobPath);
            Finetune.Run(job, jobPath, stdout);
            return Success;
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
            stderr.WriteLine(Diagnostic.Error(DiagnosticCodes.InternalError, $"{e.GetType().Name}: {e.Message}", jobPath).ToString());
            stderr.WriteLine(e.StackTrace);
            return InternalFailure;
        }
    }

    /// <summary>One exit code per training error code; anything else (AFB9001, shard errors) is 1.</summary>
    internal static int ExitCode(string? code) => code switch
    {
        DiagnosticCodes.TrainingConfigInvalid => 3,
        DiagnosticCodes.TrainingDiverged => 4,
        DiagnosticCodes.TrainingDataMissing or DiagnosticCodes.ShardInvalid => 5,
        DiagnosticCodes.CheckpointFailed => 6,
        _ => InternalFailure,
    };

    private static TrainingJob LoadJob(string jobPath)
    {
        if (!File.Exists(jobPath))
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingConfigInvalid, $"The training job file '{jobPath}' does not exist.", jobPath));
        }

        try
        {
            return TrainingJob.FromJson(File.ReadAllText(jobPath));
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? -1) + 1;
            int column = (int)(e.BytePositionInLine ?? -1) + 1;
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingConfigInvalid, $"The training job is not valid: {e.Message}", jobPath, line, column));
        }
    }
}
