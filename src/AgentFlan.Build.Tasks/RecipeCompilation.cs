using AgentFlan.Charts;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// What <see cref="CompileRecipe"/> does for its recipes, free of MSBuild types so that it runs the same in the task
/// and in the compile worker process (<see cref="CompileWorker"/>): load each recipe with the build's overrides,
/// compile it, and report diagnostics, the summary lines and the manifest to a <see cref="ICompileReport"/>.
/// </summary>
internal static class RecipeCompilation
{
    /// <summary>
    /// Whether the samples stage holds every recipe's documents, so that each compile only re-weighs and packs them:
    /// about a second of code, for which starting the worker process costs more than running it here. False when
    /// anything is missing or wrong (the compile then reports it).
    /// </summary>
    public static bool OnlyRepacks(CompileRequest request)
    {
        if (string.IsNullOrEmpty(request.CacheDirectory) || request.Recipes.Count == 0)
        {
            return false;
        }

        try
        {
            var cache = new Caching.StageCache(request.CacheDirectory);
            var hashes = new Caching.FileHashMemo(cache.Root);
            try
            {
                foreach (var (path, _) in request.Recipes)
                {
                    if (RecipeLoader.Load(path, request.Overrides).Recipe is not { } recipe)
                    {
                        return false;
                    }

                    var threads = request.Threads > 0 ? request.Threads : Tokenization.ParallelTokenizer.DefaultThreads;
                    var files = SourceLoader.InputFiles(recipe, recipe.Sources, threads, hashes);
                    if (!cache.Contains(Caching.SampleStore.Stage, Caching.SampleStore.Key(recipe, SourceLoader.KeyFiles(recipe, files, hashes))))
                    {
                        return false;
                    }
                }

                return true;
            }
            finally
            {
                // The compile that follows (here or in the worker) finds these hashes instead of reading the files again.
                hashes.Save();
            }
        }
        catch (Exception e) when (e is DiagnosticException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <param name="tokenizers">Tokenizers kept from earlier compiles of this process (the compile server's); null loads each.</param>
    public static void Run(CompileRequest request, ICompileReport report, CancellationToken cancellationToken, Tokenization.TokenizerCache? tokenizers = null)
    {
        foreach (var (path, dataDirectory) in request.Recipes)
        {
            try
            {
                var loaded = RecipeLoader.Load(path, request.Overrides);
                report.Diagnostics(loaded.Diagnostics.Where(d => d.IsError));
                if (loaded.Recipe is not { } recipe)
                {
                    continue;
                }

                var started = System.Diagnostics.Stopwatch.StartNew();
                var options = new CompileOptions
                {
                    CacheDirectory = string.IsNullOrEmpty(request.CacheDirectory) ? null : request.CacheDirectory,
                    Charts = new ScottPlotRenderer(),
                    SpoolBudgetBytes = request.SpoolBudgetMegabytes > 0 ? (long)request.SpoolBudgetMegabytes << 20 : Transforms.ConversationSpool.DefaultBudgetBytes,
                    Threads = Math.Max(0, request.Threads),
                    Tokenizers = tokenizers,
                };
                var result = RecipeCompiler.Compile(recipe, dataDirectory, options, cancellationToken);
                report.Diagnostics(result.Diagnostics);
                var stats = result.Manifest.Statistics;
                report.Message(high: true, $"AgentFlan: compiled recipe '{recipe.Name}': {stats.Conversations} conversations, {stats.Tokens} tokens ({stats.SupervisedTokens} supervised), {result.Manifest.Shards.Sum(s => s.Rows)} rows in {started.Elapsed.TotalSeconds:0.0} s ({result.CacheSummary}) -> {result.ManifestPath}");
                report.Message(high: false, $"AgentFlan: recipe '{recipe.Name}' compile time: {result.TimingSummary}");
                report.Manifest(result.ManifestPath);
            }
            catch (DiagnosticException e)
            {
                report.Diagnostics(e.Diagnostics);
            }
            catch (OperationCanceledException)
            {
                report.Message(high: true, $"AgentFlan: compile of '{path}' was cancelled; nothing was published.");
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                report.InternalError(e.Message, e.ToString(), path);
            }
        }
    }
}

/// <summary>
/// The recipes to compile (recipe file, data directory) and the build's settings for them; the build's working
/// directory for a compile server, which serves builds of many projects.
/// </summary>
internal sealed record CompileRequest(
    IReadOnlyList<(string Recipe, string DataDirectory)> Recipes,
    string? Overrides,
    string? CacheDirectory,
    int SpoolBudgetMegabytes,
    int Threads,
    string? WorkingDirectory = null);

/// <summary>Where a compilation reports: the build log in the task, a line protocol in the worker.</summary>
internal interface ICompileReport
{
    void Diagnostics(IEnumerable<Diagnostic> diagnostics);

    void Message(bool high, string text);

    void Manifest(string path);

    void InternalError(string message, string detail, string? file);
}
