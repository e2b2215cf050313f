using AgentFlan.Diagnostics;
using AgentFlan.IO;
using AgentFlan.Recipes;
using AgentFlan.Training;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Loads and validates every recipe (all errors, located), then writes two stamp files per recipe, each
/// only when its content changed: <c>name.data.json</c> (everything that decides the compiled data) and
/// <c>name.train.json</c> (the trainer's job). They are the Inputs of the compile and train targets, which
/// is how MSBuild skips a recipe whose settings did not change (the _GenerateCompileDependencyCache idiom).
/// </summary>
public sealed class ResolveRecipes : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Recipes { get; set; } = [];

    /// <summary>Folder for the stamp files (under obj/).</summary>
    [Required]
    public string IntermediateDirectory { get; set; } = string.Empty;

    /// <summary>Root of the outputs: each recipe gets <c>name/data/</c> and <c>name/run/</c> under it.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Command-line overrides applied to every recipe: <c>training.steps=10;seed=2</c> (from AgentFlanOverrides).</summary>
    public string? Overrides { get; set; }

    /// <summary>Each recipe with metadata RecipePath, RecipeName, DataStamp, DataDirectory, Manifest, TrainJob, RunDirectory, Summary.</summary>
    [Output]
    public ITaskItem[] ResolvedRecipes { get; set; } = [];

    public override bool Execute()
    {
        var snapshotPath = Path.Combine(Path.GetFullPath(IntermediateDirectory), ResolveSnapshot.FileName);
        var items = Recipes.Select(i => i.ItemSpec).ToList();
        if (ResolveSnapshot.TryRead(snapshotPath, SnapshotKey(), items) is { } snapshot)
        {
            Log.LogMessage(MessageImportance.Low, "AgentFlan: the recipes and every file they read are unchanged since the last build: stamps reused without parsing.");
            ResolvedRecipes = [.. snapshot.Select(e => ResolveSnapshot.Replay(e, Log))];
            return true;
        }

        var (resolvedItems, entries) = ResolveAll();
        ResolvedRecipes = resolvedItems;
        if (!Log.HasLoggedErrors && entries is not null)
        {
            ResolveSnapshot.Write(snapshotPath, SnapshotKey(), entries);
        }
        else if (File.Exists(snapshotPath))
        {
            File.Delete(snapshotPath);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Everything besides the recipe files that decides the stamps: parameters and the compiler's identity.</summary>
    private string SnapshotKey() => string.Join(
        "\n",
        Overrides ?? string.Empty,
        Path.GetFullPath(OutputDirectory),
        Path.GetFullPath(IntermediateDirectory),
        typeof(RecipeLoader).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
        typeof(ResolveRecipes).Assembly.ManifestModule.ModuleVersionId.ToString("N"));

    /// <summary>Loads and validates every recipe; the snapshot entries are null when a recipe cannot be replayed (folder or pattern sources).</summary>
    private (ITaskItem[] Items, List<ResolveSnapshot.Entry>? Entries) ResolveAll()
    {
        var resolved = new List<ITaskItem>();
        List<ResolveSnapshot.Entry>? entries = [];
        var reported = new HashSet<Diagnostic>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in Recipes)
        {
            var path = item.GetMetadata("FullPath");
            RecipeLoadResult result;
            try
            {
                result = RecipeLoader.Load(path, Overrides);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.LogInternalError(e, path);
                continue;
            }

            // A warning in a shared parent recipe is reported once, not once per recipe that extends it.
            var logged = result.Diagnostics.Where(reported.Add).ToList();
            Log.Log(logged);
            if (result.Recipe is not { } recipe)
            {
                continue;
            }

            if (names.TryGetValue(recipe.Name, out var other))
            {
                Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, $"Recipe name '{recipe.Name}' is also used by '{other}'; outputs would collide. Give one of them another 'name'.", path, 1, 1));
                continue;
            }

            names[recipe.Name] = path;
            var (output, summary) = Resolve(item, recipe);
            resolved.Add(output);
            var files = InputFiles(recipe);
            entries = files is null || entries is null ? null : [.. entries, new ResolveSnapshot.Entry(
                item.ItemSpec,
                output.CloneCustomMetadata().Keys.Cast<string>().ToDictionary(name => name, output.GetMetadata, StringComparer.Ordinal),
                files,
                [.. logged.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => new ResolveSnapshot.Warning(d.Code, d.Message, d.File, d.Line, d.Column))],
                summary)];
        }

        return ([.. resolved], entries);
    }

    /// <summary>
    /// Every file (and checkpoint folder) the recipe's validation or stamps depend on, or null when a source is a
    /// folder or a pattern (new files would go unseen).
    /// </summary>
    private static List<string>? InputFiles(Recipe recipe)
    {
        var files = new List<string>(recipe.Files);
        if (Path.IsPathRooted(recipe.Template))
        {
            files.Add(recipe.Template);
        }

        if (recipe.Tokenizer.Path is { } tokenizer)
        {
            if (Directory.Exists(tokenizer))
            {
                return null;
            }

            files.Add(tokenizer);
        }

        if (recipe.Model.Path is { } checkpoint)
        {
            files.Add(checkpoint);
        }

        foreach (var source in recipe.Sources.Concat(recipe.Evaluation.Sources).Where(s => s.Path is not null))
        {
            if (Directory.Exists(source.Path) || source.Path!.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                return null;
            }

            files.Add(source.Path!);
        }

        return files;
    }

    private (TaskItem Item, string Summary) Resolve(ITaskItem item, Recipe recipe)
    {
        var intermediate = Path.GetFullPath(IntermediateDirectory);
        var dataDirectory = Path.GetFullPath(Path.Combine(OutputDirectory, recipe.Name, "data"));
        var runDirectory = Path.GetFullPath(Path.Combine(OutputDirectory, recipe.Name, "run"));
        var manifest = Path.Combine(dataDirectory, Compilation.RecipeCompiler.ManifestFileName);
        var dataStamp = Path.Combine(intermediate, recipe.Name + ".data.json");
        var trainJob = Path.Combine(intermediate, recipe.Name + ".train.json");

        var previousStamp = File.Exists(dataStamp) ? File.ReadAllText(dataStamp) : null;
        var stamp = RecipeFingerprint.DataSettings(recipe) + "\n" + SourceFingerprint(recipe);
        AtomicFile.WriteAllTextIfChanged(dataStamp, stamp);
        var reasons = Compilation.RebuildExplanation.Explain(recipe, manifest, hashSourceFiles: false).ToList();
        if (reasons.Count == 0 && File.GetLastWriteTimeUtc(dataStamp) > File.GetLastWriteTimeUtc(manifest))
        {
            // The settings are those of the data, but the stamp is newer: a source file changed (by size or time), or
            // the compile that followed an earlier change did not finish.
            var changed = ChangedSources(previousStamp, stamp);
            reasons.AddRange(changed.Count > 0 ? changed.Select(name => $"source '{name}' changed") : ["its inputs changed after the last compile"]);
        }

        var summary = Compilation.RebuildExplanation.Summary(recipe, reasons);
        Log.LogMessage(MessageImportance.High, summary);

        var job = new TrainingJob
        {
            Recipe = recipe.Name,
            Seed = recipe.Training.Seed ?? recipe.Seed,
            Manifest = manifest,
            OutputDirectory = runDirectory,
            Model = recipe.Model,
            Training = recipe.Training,
        };
        AtomicFile.WriteAllTextIfChanged(trainJob, job.ToJson());

        var output = new TaskItem(item);
        output.SetMetadata("RecipePath", recipe.FilePath);
        output.SetMetadata("RecipeName", recipe.Name);
        output.SetMetadata("DataStamp", dataStamp);
        output.SetMetadata("DataDirectory", dataDirectory);
        output.SetMetadata("Manifest", manifest);
        output.SetMetadata("TrainJob", trainJob);
        output.SetMetadata("RunDirectory", runDirectory);
        output.SetMetadata("Summary", Path.Combine(runDirectory, "summary.json"));
        return (output, summary);
    }

    /// <summary>The sources whose lines (files, sizes, times) differ between two stamps, in order.</summary>
    private static List<string> ChangedSources(string? before, string after)
    {
        static HashSet<string> Lines(string? stamp) => [.. (stamp ?? "").Split('\n').Where(line => line.Contains('\t', StringComparison.Ordinal))];
        var old = Lines(before);
        var now = Lines(after);
        return [.. old.Except(now).Concat(now.Except(old)).Select(line => line[..line.IndexOf('\t', StringComparison.Ordinal)]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Size and write time of each source file: cheap to compute on every build, and enough for MSBuild to
    /// notice an edited source. (The content-addressed stage cache decides what actually gets redone.)
    /// </summary>
    private static string SourceFingerprint(Recipe recipe)
    {
        var lines = new List<string>();
        // evaluation.sources count too: their cases decontaminate the training data.
        foreach (var source in recipe.Sources.Concat(recipe.Evaluation.Sources).Where(s => s.Path is not null))
        {
            var paths = Directory.Exists(source.Path)
                ? Directory.EnumerateFiles(source.Path!, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[source.Path!];
            foreach (var path in paths)
            {
                var info = new FileInfo(path);
                lines.Add($"{source.Name}\t{Path.GetRelativePath(recipe.Directory, path)}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}");
            }
        }

        return string.Join("\n", lines);
    }
}
