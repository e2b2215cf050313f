using AgentFlan.Evaluation;
using AgentFlan.IO;
using AgentFlan.Recipes;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Writes one evaluation job per resolved recipe, <c>name.eval.json</c>, only when its content changed: the
/// checkpoint to evaluate, the recipe's template, tokenizer and <c>evaluation:</c> section, and the keyword lists.
/// The job is the Evaluate target's incrementality stamp, as the train job is Train's. Recipe errors were
/// reported by ResolveRecipes; a recipe that does not load here is skipped.
/// </summary>
public sealed class ResolveEvaluations : Microsoft.Build.Utilities.Task
{
    /// <summary>ResolveRecipes' output (metadata RecipePath, RecipeName, Manifest, RunDirectory).</summary>
    [Required]
    public ITaskItem[] Recipes { get; set; } = [];

    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    public string? Overrides { get; set; }

    /// <summary>ReAct keywords of H_ReAct (semicolon-separated); empty keeps the defaults.</summary>
    public string? ReactKeywords { get; set; }

    /// <summary>Tool-intent phrases of H_General (semicolon-separated); empty keeps the defaults.</summary>
    public string? GeneralPhrases { get; set; }

    /// <summary>The recipes with metadata EvaluationJob, EvaluationDirectory, EvaluationReport and Summary added.</summary>
    [Output]
    public ITaskItem[] Evaluations { get; set; } = [];

    public override bool Execute()
    {
        var result = new List<ITaskItem>();
        foreach (var item in Recipes)
        {
            var loaded = RecipeLoader.Load(item.GetMetadata("RecipePath"), Overrides);
            if (loaded.Recipe is not { } recipe)
            {
                continue;
            }

            var runDirectory = item.GetMetadata("RunDirectory");
            var evalDirectory = Path.GetFullPath(Path.Combine(runDirectory, "..", "eval"));
            var job = new EvaluationJob
            {
                Recipe = recipe.Name,
                Seed = recipe.Seed,
                Checkpoint = Path.Combine(runDirectory, "checkpoint"),
                Manifest = item.GetMetadata("Manifest"),
                OutputDirectory = evalDirectory,
                Template = recipe.Template,
                Tokenizer = recipe.Tokenizer,
                Evaluation = recipe.Evaluation,
                Masking = recipe.Masking,
                ReactFraction = recipe.Alignment.ReactFraction,
                SequenceLength = recipe.Sequence.Length,
                ReactKeywords = List(ReactKeywords) ?? HallucinationKeywords.DefaultReact,
                GeneralPhrases = List(GeneralPhrases) ?? HallucinationKeywords.DefaultGeneral,
            };
            var jobPath = Path.Combine(Path.GetFullPath(IntermediateDirectory), recipe.Name + ".eval.json");
            AtomicFile.WriteAllTextIfChanged(jobPath, job.ToJson());

            var output = new TaskItem(item);
            output.SetMetadata("EvaluationJob", jobPath);
            output.SetMetadata("EvaluationDirectory", evalDirectory);
            output.SetMetadata("EvaluationReport", Path.Combine(evalDirectory, "report.md"));
            result.Add(output);
        }

        Evaluations = [.. result];
        return !Log.HasLoggedErrors;
    }

    private static string[]? List(string? value)
    {
        var items = (value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length == 0 ? null : items;
    }
}
