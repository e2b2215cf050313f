using System.Globalization;
using AgentFlan.Diagnostics;
using AgentFlan.Evaluation;
using AgentFlan.IO;
using Microsoft.Build.Framework;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Writes <c>-t:Experiment</c>'s plan (only when its content changed): the selected recipes in the order given,
/// each with its train and evaluation jobs, the seeds, and the step and sample overrides.
/// </summary>
public sealed class WriteExperimentPlan : Microsoft.Build.Utilities.Task
{
    /// <summary>ResolveEvaluations' output (metadata RecipeName, TrainJob, EvaluationJob).</summary>
    [Required]
    public ITaskItem[] Evaluations { get; set; } = [];

    /// <summary>Recipe names in table order (semicolon-separated); empty takes every recipe.</summary>
    public string? RecipeNames { get; set; }

    [Required]
    public string Seeds { get; set; } = string.Empty;

    public int TrainingSteps { get; set; }

    public int EvaluationSamples { get; set; }

    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    [Required]
    public string PlanFile { get; set; } = string.Empty;

    public override bool Execute()
    {
        var byName = Evaluations.ToDictionary(e => e.GetMetadata("RecipeName"), StringComparer.OrdinalIgnoreCase);
        var names = (RecipeNames ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            names = [.. byName.Keys];
        }

        var runs = new List<ExperimentRun>();
        foreach (var name in names)
        {
            if (!byName.TryGetValue(name, out var item))
            {
                Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, $"AgentFlanExperimentRecipes names '{name}', which is not a recipe of this project (known: {string.Join(", ", byName.Keys)})."));
                continue;
            }

            runs.Add(new ExperimentRun(item.GetMetadata("RecipeName"), item.GetMetadata("TrainJob"), item.GetMetadata("EvaluationJob")));
        }

        var seeds = new List<int>();
        foreach (var text in Seeds.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            {
                seeds.Add(seed);
            }
            else
            {
                Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, $"AgentFlanExperimentSeeds holds '{text}', which is not an integer."));
            }
        }

        if (seeds.Count == 0 || runs.Count == 0 || Log.HasLoggedErrors)
        {
            if (!Log.HasLoggedErrors)
            {
                Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, "An experiment needs at least one recipe and one seed (AgentFlanExperimentRecipes, AgentFlanExperimentSeeds)."));
            }

            return false;
        }

        var plan = new ExperimentPlan
        {
            OutputDirectory = Path.GetFullPath(OutputDirectory),
            Seeds = seeds,
            TrainingSteps = TrainingSteps,
            EvaluationSamples = EvaluationSamples,
            Runs = runs,
        };
        AtomicFile.WriteAllTextIfChanged(Path.GetFullPath(PlanFile), plan.ToJson());
        return true;
    }
}
