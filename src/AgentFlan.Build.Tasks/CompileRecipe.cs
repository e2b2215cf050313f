using System.Diagnostics;
using System.Text;
using AgentFlan.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// Compiles each given recipe (items from <see cref="ResolveRecipes"/>) into shards + manifest + report, in the compile
/// server (<see cref="CompileServer"/>: this assembly run as a program that stays for the next build, started by the
/// first build that needs it) and logs what it reports as if compiled here. When the server is busy with another build,
/// or not wanted (<c>AgentFlanCompileServer=false</c>), in a compile worker of the build's own
/// (<see cref="CompileWorker"/>, the same program for one request). In this process when the samples stage holds every
/// recipe's documents and no server is running (a weight or sequence change: re-weighing and packing take less than a
/// process's start) or when the assembly cannot run as a program (no runtimeconfig beside it).
/// </summary>
public sealed class CompileRecipe : Microsoft.Build.Utilities.Task, ICancelableTask
{
    // Created per Execute and disposed when it ends; Cancel may arrive from another thread at any time.
    private volatile CancellationTokenSource? _cancel;
    private volatile Process? _worker;

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

    /// <summary>Whether compiles go to the compile server (AgentFlanCompileServer; true unless set to false).</summary>
    public bool UseCompileServer { get; set; } = true;

    /// <summary>Seconds the compile server waits for the next build before it exits (AgentFlanCompileServerIdleSeconds).</summary>
    public int CompileServerIdleSeconds { get; set; } = CompileServer.DefaultIdleSeconds;

    [Output]
    public ITaskItem[] Manifests { get; set; } = [];

    public void Cancel()
    {
        _cancel?.Cancel();
        try
        {
            _worker?.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public override bool Execute()
    {
        var recipes = new List<(string Recipe, string DataDirectory)>();
        foreach (var item in Recipes)
        {
            var path = item.GetMetadata("RecipePath") is { Length: > 0 } recipePath ? recipePath : item.GetMetadata("FullPath");
            var dataDirectory = item.GetMetadata("DataDirectory");
            if (string.IsNullOrEmpty(dataDirectory))
            {
                Log.Log(Diagnostic.Error(DiagnosticCodes.TaskParameterInvalid, "CompileRecipe needs items from ResolveRecipes (metadata DataDirectory is missing).", path));
                continue;
            }

            recipes.Add((path, dataDirectory));
        }

        var request = new CompileRequest(recipes, Overrides, CacheDirectory, SpoolBudgetMegabytes, Threads, Environment.CurrentDirectory);
        var report = new LogReport(Log);
        using var cancel = new CancellationTokenSource();
        _cancel = cancel;
        try
        {
            if (WorkerRuntimeConfig() is null)
            {
                RecipeCompilation.Run(request, report, cancel.Token);
            }
            else if (!RunInServer(request, report, cancel.Token, out var repacks) && (repacks || !RunWorker(request, report, cancel.Token)))
            {
                RecipeCompilation.Run(request, report, cancel.Token);
            }
        }
        finally
        {
            _cancel = null;
        }

        Manifests = [.. report.Manifests.Select(path => new TaskItem(path))];
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Compiles in the compile server (<see cref="CompileServer"/>), started when none runs; false when the build is to
    /// compile elsewhere: no server wanted or reachable, or the server busy with another build. Then
    /// <paramref name="repacks"/> says whether the compile only re-weighs and packs (done in this process, not a worker).
    /// </summary>
    private bool RunInServer(CompileRequest request, LogReport report, CancellationToken cancellationToken, out bool repacks)
    {
        repacks = false;
        var socket = UseCompileServer ? CompileServer.SocketPath(typeof(CompileRecipe).Assembly.Location) : null;
        void Log(string line) => this.Log.LogMessage(MessageImportance.Normal, line);
        var outcome = socket is null ? CompileServerClient.Outcome.Unavailable : CompileServerClient.TryCompile(socket, request, report, start: null, Log, cancellationToken);
        bool started = false;
        if (outcome == CompileServerClient.Outcome.Unavailable && socket is not null)
        {
            // Started even for a compile that only re-weighs and packs: measured at 4 x 50,000, a weight change took
            // 1.7 s in MSBuild's process every time, 1.9 s in a server it started and 0.9 s in that server afterwards.
            outcome = CompileServerClient.TryCompile(socket, request, report, () => started = StartServer(socket), Log, cancellationToken);
        }

        switch (outcome)
        {
            case CompileServerClient.Outcome.Busy:
                Log("AgentFlan: the compile server is busy with another build; compiling without it.");
                repacks = RecipeCompilation.OnlyRepacks(request);
                return false;
            case CompileServerClient.Outcome.Unavailable:
                // No server wanted, or none came up: a compile that only repacks is cheaper here than a worker's start.
                repacks = RecipeCompilation.OnlyRepacks(request);
                return false;
        }

        Log(started
            ? $"AgentFlan: compiled in a compile server started by this build ({socket}); it stays for the next build until {CompileServerIdleSeconds} s pass without one."
            : $"AgentFlan: compiled in the running compile server ({socket}).");
        ReportCancellation(cancellationToken);
        return true;
    }

    /// <summary>Starts the compile server for this assembly, detached from the build's console; false when it cannot start.</summary>
    private bool StartServer(string socket)
    {
        var start = WorkerStart();
        start.ArgumentList.Add(CompileServer.Verb);
        start.ArgumentList.Add(socket);
        start.ArgumentList.Add(Math.Max(1, CompileServerIdleSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.WorkingDirectory = Path.GetTempPath();
        try
        {
            // Its standard streams are pipes to this process, closed at once: the server writes nothing to them and
            // holds none of the build's own, so nothing waiting for the build's output waits for the server.
            using var server = Process.Start(start);
            if (server is null)
            {
                return false;
            }

            server.StandardInput.Close();
            server.StandardOutput.Close();
            server.StandardError.Close();
            return true;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Log.LogMessage(MessageImportance.Low, $"AgentFlan: the compile server could not start ({start.FileName}: {e.Message}).");
            return false;
        }
    }

    /// <summary>How the worker and the server are started: this assembly run by the build's dotnet host, with the worker's runtime settings.</summary>
    private static ProcessStartInfo WorkerStart()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(typeof(CompileRecipe).Assembly.Location);
        foreach (var (name, value) in CompileWorker.RuntimeSettings)
        {
            // A setting the user gave the build wins.
            start.Environment.TryAdd(name, value);
        }

        return start;
    }

    private void ReportCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Log.LogMessage(MessageImportance.High, "AgentFlan: the compile was cancelled; nothing was published.");
            Log.LogError("AgentFlan: the compile was cancelled.");
        }
    }

    /// <summary>The runtimeconfig that lets this assembly run as the worker, or null.</summary>
    private static string? WorkerRuntimeConfig()
    {
        var config = Path.ChangeExtension(typeof(CompileRecipe).Assembly.Location, ".runtimeconfig.json");
        return File.Exists(config) ? config : null;
    }

    /// <summary>Compiles in the worker process; false when it cannot be started (the caller compiles here instead).</summary>
    private bool RunWorker(CompileRequest request, LogReport report, CancellationToken cancellationToken)
    {
        var start = WorkerStart();
        start.ArgumentList.Add(CompileWorker.Verb);

        var errors = new StringBuilder();
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            started = null;
            Log.LogMessage(MessageImportance.Low, $"AgentFlan: the compile worker could not start ({start.FileName}: {e.Message}); compiling in the build's process.");
        }

        if (started is null)
        {
            return false;
        }

        using var worker = started;
        _worker = worker;
        try
        {
            worker.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (errors)
                    {
                        errors.AppendLine(e.Data);
                    }
                }
            };
            worker.BeginErrorReadLine();

            // One line; the input then stays open until the worker is done (its end tells the worker the build is gone).
            worker.StandardInput.WriteLine(Protocol.WriteRequest(request));
            worker.StandardInput.Flush();
            while (worker.StandardOutput.ReadLine() is { } line)
            {
                if (!Protocol.Replay(line, report))
                {
                    Log.LogMessage(MessageImportance.Normal, line);
                }
            }

            worker.WaitForExit();
        }
        finally
        {
            _worker = null;
            worker.StandardInput.Close();
        }

        if (cancellationToken.IsCancellationRequested)
        {
            ReportCancellation(cancellationToken);
            return true;
        }

        if (worker.ExitCode != 0)
        {
            string detail;
            lock (errors)
            {
                detail = errors.ToString().Trim();
            }

            report.InternalError($"the compile worker exited with code {worker.ExitCode}: {detail}", detail, request.Recipes.Count > 0 ? request.Recipes[0].Recipe : null);
        }

        return true;
    }

    /// <summary>Logs what a compilation reports, as errors and warnings with code, file, line and column, and keeps the manifests.</summary>
    private sealed class LogReport(TaskLoggingHelper log) : ICompileReport
    {
        public List<string> Manifests { get; } = [];

        public void Diagnostics(IEnumerable<Diagnostic> diagnostics) => log.Log(diagnostics);

        public void Message(bool high, string text) => log.LogMessage(high ? MessageImportance.High : MessageImportance.Normal, text);

        public void Manifest(string path) => Manifests.Add(path);

        public void InternalError(string message, string detail, string? file)
        {
            log.LogError(null, DiagnosticCodes.InternalError, null, file, 0, 0, 0, 0, $"Internal error: {message}");
            log.LogMessage(MessageImportance.Low, detail);
        }
    }
}
