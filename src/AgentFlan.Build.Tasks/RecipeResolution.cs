using AgentFlan.Diagnostics;
using AgentFlan.IO;
using AgentFlan.Recipes;
using AgentFlan.Training;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// What <see cref="ResolveRecipes"/> does, without MSBuild: loads and validates each recipe, then writes its two stamp
/// files (each only when its content changed) — <c>name.data.json</c>, everything that decides the compiled data, and
/// <c>name.train.json</c>, the trainer's job — and says in one line whether its data will be recompiled and why. The
/// task runs it in MSBuild's process, or asks the compile server to (<see cref="CompileServerClient.TryResolve"/>),
/// whose code is compiled already: parsing YAML and JSON for the first time in a process costs a build ~0.1 s.
/// </summary>
internal static class RecipeResolution
{
    /// <summary>The recipes (item spec and full path, in order), the overrides, and the folders for stamps and outputs (full paths).</summary>
    public sealed record Request(IReadOnlyList<(string Item, string Path)> Recipes, string? Overrides, string IntermediateDirectory, string OutputDirectory);

    /// <summary>
    /// One recipe's outcome: what to log for it (a warning of a shared parent recipe only with the first recipe that
    /// extends it), an internal failure, and its entry when it resolved (<see cref="ResolveSnapshot.Entry"/>: the output
    /// item's metadata, its warnings, its summary, and the files it read, which are null when a source is a folder or a
    /// pattern: new files there would go unseen by a snapshot).
    /// </summary>
    public sealed record Result(string Item, string Path, IReadOnlyList<Diagnostic> Diagnostics, Exception? Failure, ResolveSnapshot.Entry? Entry, bool Replayable);

    /// <summary>
    /// Resolves every recipe. With <paramref name="onlyIfClean"/>, nothing is written and null comes back unless every
    /// recipe loads without an error and could be replayed from a snapshot: the caller then resolves them itself, where
    /// errors are reported as they are.
    /// </summary>
    public static IReadOnlyList<Result>? Run(Request request, bool onlyIfClean = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var loaded = new List<(string Item, string Path, List<Diagnostic> Diagnostics, Exception? Failure, Recipe? Recipe, List<string>? Files)>();
        var reported = new HashSet<Diagnostic>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (item, path) in request.Recipes)
        {
            RecipeLoadResult result;
            try
            {
                result = RecipeLoader.Load(path, request.Overrides);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                loaded.Add((item, path, [], e, null, null));
                continue;
            }

            // A warning in a shared parent recipe is reported once, not once per recipe that extends it.
            var logged = result.Diagnostics.Where(reported.Add).ToList();
            var recipe = result.Recipe;
            if (recipe is not null && names.TryGetValue(recipe.Name, out var other))
            {
                logged.Add(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, $"Recipe name '{recipe.Name}' is also used by '{other}'; outputs would collide. Give one of them another 'name'.", path, 1, 1));
                recipe = null;
            }
            else if (recipe is not null)
            {
                names[recipe.Name] = path;
            }

            loaded.Add((item, path, logged, null, recipe, recipe is null ? null : InputFiles(recipe)));
        }

        if (onlyIfClean && loaded.Any(l => l.Failure is not null || l.Recipe is null || l.Files is null || l.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)))
        {
            return null;
        }

        return [.. loaded.Select(l =>
        {
            if (l.Recipe is not { } recipe)
            {
                return new Result(l.Item, l.Path, l.Diagnostics, l.Failure, null, false);
            }

            var (metadata, summary) = Resolve(recipe, request);
            var warnings = l.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => new ResolveSnapshot.Warning(d.Code, d.Message, d.File, d.Line, d.Column)).ToList();
            return new Result(l.Item, l.Path, l.Diagnostics, null, new ResolveSnapshot.Entry(l.Item, metadata, l.Files ?? [], warnings, summary), l.Files is not null);
        })];
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

    /// <summary>Writes the recipe's stamps; its output item's metadata and its one-line summary.</summary>
    private static (Dictionary<string, string> Metadata, string Summary) Resolve(Recipe recipe, Request request)
    {
        var intermediate = request.IntermediateDirectory;
        var dataDirectory = Path.GetFullPath(Path.Combine(request.OutputDirectory, recipe.Name, "data"));
        var runDirectory = Path.GetFullPath(Path.Combine(request.OutputDirectory, recipe.Name, "run"));
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

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RecipePath"] = recipe.FilePath,
            ["RecipeName"] = recipe.Name,
            ["DataStamp"] = dataStamp,
            ["DataDirectory"] = dataDirectory,
            ["Manifest"] = manifest,
            ["TrainJob"] = trainJob,
            ["RunDirectory"] = runDirectory,
            ["Summary"] = Path.Combine(runDirectory, "summary.json"),
        };
        return (metadata, Compilation.RebuildExplanation.Summary(recipe, reasons));
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
