using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Loads and validates every recipe (all errors, located), then writes two stamp files per recipe, each
/// only when its content changed: <c>name.data.json</c> (everything that decides the compiled data) and
/// <c>name.train.json</c> (the trainer's job). They are the Inputs of the compile and train targets, which
/// is how MSBuild skips a recipe whose settings did not change (the _GenerateCompileDependencyCache idiom).
/// The work is <see cref="RecipeResolution"/>'s; unchanged recipes replay <see cref="ResolveSnapshot"/>.
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

    /// <summary>Whether to ask a running compile server (never started here) to resolve the recipes: <c>AgentFlanCompileServer</c>.</summary>
    public bool UseCompileServer { get; set; }

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

        var request = new RecipeResolution.Request(
            [.. Recipes.Select(i => (i.ItemSpec, i.GetMetadata("FullPath")))],
            Overrides,
            Path.GetFullPath(IntermediateDirectory),
            Path.GetFullPath(OutputDirectory));

        // A running compile server resolves clean recipes with its code compiled already; anything else is resolved here.
        var served = UseCompileServer && CompileServer.SocketPath(typeof(ResolveRecipes).Assembly.Location) is { } socket
            ? CompileServerClient.TryResolve(socket, request, Directory.GetCurrentDirectory())
            : null;
        var results = served ?? RecipeResolution.Run(request)!;
        var resolved = new List<ITaskItem>();
        List<ResolveSnapshot.Entry>? entries = [];
        foreach (var (result, item) in results.Zip(Recipes))
        {
            if (result.Failure is not null)
            {
                Log.LogInternalError(result.Failure, result.Path);
            }

            Log.Log(result.Diagnostics);
            if (result.Entry is not { } entry)
            {
                continue;
            }

            Log.LogMessage(MessageImportance.High, entry.Summary);
            var output = new TaskItem(item);
            foreach (var (name, value) in entry.Metadata)
            {
                output.SetMetadata(name, value);
            }

            resolved.Add(output);
            var metadata = output.CloneCustomMetadata().Keys.Cast<string>().ToDictionary(name => name, output.GetMetadata, StringComparer.Ordinal);
            entries = !result.Replayable || entries is null ? null : [.. entries, entry with { Metadata = metadata }];
        }

        ResolvedRecipes = [.. resolved];
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
}
