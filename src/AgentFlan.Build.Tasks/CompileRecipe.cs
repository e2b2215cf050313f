using AgentFlan.Charts;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using Microsoft.Build.Framework;

namespace AgentFlan.Build.Tasks;

/// <summary>Compiles each given recipe (items from <see cref="ResolveRecipes"/>) into shards + manifest + report.</summary>
public sealed class CompileRecipe : Microsoft.Build.Utilities.Task, ICancelableTask
{
    // Created per Execute and disposed when it ends; Cancel may arrive from another thread at any time.
    private volatile CancellationTokenSource? _cancel;

    [Required]
    public ITaskItem[] Recipes { get; set; } = [];

    /// <summary>The stage cache folder (AgentFlanCacheDir); empty compiles without a cache.</summary>
    public string? CacheDirectory { get; set; }

    /// <summary>
    /// Megabytes of conversations the transforms keep in memory before spooling them to a temp file
    /// (AgentFlanSpoolBudgetMB); 0 or empty keeps the default.
    /// </summary>
    public int SpoolBudgetMegabytes { get; set; }

    /// <summary>Threads a compile uses (AgentFlanThreads); 0 or empty uses every core. The output is the same bytes for any value.</summary>
    public int Threads { get; set; }

    /// <summary>The same overrides ResolveRecipes applied.</summary>
    public string? Overrides { get; set; }

    [Output]
    public ITaskItem[] Manifests { get; set; } = [];

    public void Cancel() => _cancel?.Cancel();

    public override bool Execute()
    {
        using var cancel = new CancellationTokenSource();
        _cancel = cancel;
        try
        {
            return Compile(cancel.Token);
        }
        finally
        {
            _cancel = null;
        }
    }

    private bool Compile(CancellationToken cancellationToken)
    {
        var manifests = new List<ITaskItem>();
        foreach (var item in Recipes)
        {
            var path = item.GetMetadata("RecipePath") is { Length: > 0 } recipePath ? recipePath : item.GetMetadata("FullPath");
            var dataDirectory = item.GetMetadata("DataDirectory");
            if (string.IsNullOrEmpty(dataDirectory))
            {
                Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, "CompileRecipe needs items from ResolveRecipes (metadata DataDirectory is missing).", path));
                continue;
            }

            try
            {
                var loaded = RecipeLoader.Load(path, Overrides);
                Log.Log(loaded.Diagnostics.Where(d => d.IsError));
                if (loaded.Recipe is not { } recipe)
                {
                    continue;
                }

                var started = System.Diagnostics.Stopwatch.StartNew();
                var options = new CompileOptions
                {
                    CacheDirectory = string.IsNullOrEmpty(CacheDirectory) ? null : CacheDirectory,
                    Charts = new ScottPlotRenderer(),
                    SpoolBudgetBytes = SpoolBudgetMegabytes > 0 ? (long)SpoolBudgetMegabytes << 20 : Transforms.ConversationSpool.DefaultBudgetBytes,
                    Threads = Math.Max(0, Threads),
                };
                var result = RecipeCompiler.Compile(recipe, dataDirectory, options, cancellationToken);
                Log.Log(result.Diagnostics);
                var stats = result.Manifest.Statistics;
                Log.LogMessage(
                    MessageImportance.High,
                    $"AgentFlan: compiled recipe '{recipe.Name}': {stats.Conversations} conversations, {stats.Tokens} tokens ({stats.SupervisedTokens} supervised), {result.Manifest.Shards.Sum(s => s.Rows)} rows in {started.Elapsed.TotalSeconds:0.0} s ({result.CacheSummary}) -> {result.ManifestPath}");
                Log.LogMessage(MessageImportance.Normal, $"AgentFlan: recipe '{recipe.Name}' compile time: {result.TimingSummary}");
                manifests.Add(new Microsoft.Build.Utilities.TaskItem(result.ManifestPath));
            }
            catch (DiagnosticException e)
            {
                Log.Log(e.Diagnostics);
            }
            catch (OperationCanceledException)
            {
                Log.LogMessage(MessageImportance.High, $"AgentFlan: compile of '{path}' was cancelled; nothing was published.");
                return false;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.LogInternalError(e, path);
            }
        }

        Manifests = [.. manifests];
        return !Log.HasLoggedErrors;
    }
}
