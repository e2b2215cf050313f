using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// The compile server: the compile worker kept running between builds, as the C# compiler server and MSBuild's reused
/// nodes are. A fresh worker spends a good part of a short compile compiling its own code (on 2 cores, a third of the
/// CPU of an edit of one of 4 × 12,500 conversations went to the JIT) and loading the tokenizer and the chart library;
/// a warm one does not. One server per task assembly (its path, size and time), user and environment: builds reach it
/// through a Unix domain socket in a folder only the user can open (<see cref="SocketPath"/>). It runs one compile at a
/// time — a build that finds it busy is told so at once and starts a worker of its own — and exits after
/// <c>AgentFlanCompileServerIdleSeconds</c> without a request (default 600).
/// The build stays the owner of its compile: the request carries its working directory, the server reports exactly
/// what the worker would, and when the build's connection ends before the compile does (a killed or cancelled build)
/// the server exits at once, so that a compile nobody waits for never publishes a manifest.
/// </summary>
internal static class CompileServer
{
    public const string Verb = "serve";
    public const int DefaultIdleSeconds = 600;

    /// <summary>Tokenizers kept from one compile to the next (their vocabulary loaded once, their word memo warm).</summary>
    private static readonly Tokenization.TokenizerCache Tokenizers = new();

    /// <summary>Where the server for <paramref name="assembly"/> listens; null where no private folder can be had (the build then starts a worker).</summary>
    public static string? SocketPath(string assembly)
    {
        try
        {
            var info = new FileInfo(assembly);
            if (!info.Exists)
            {
                return null;
            }

            // What the server's compiles read besides the request: its code and the environment it was started with.
            // Its code is every assembly beside the task's: a change to Core alone (built from source, the task assembly
            // is not compiled again when only Core's implementation changed) must not reach a server running the old one.
            var identity = new StringBuilder().Append(info.FullName).Append('\n');
            foreach (var code in info.Directory!.EnumerateFiles("*.dll").OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                identity.Append(code.Name).Append(' ').Append(code.Length).Append(' ').Append(code.LastWriteTimeUtc.Ticks).Append('\n');
            }

            identity.Append(Environment.UserName).Append('\n');
            foreach (var (name, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => ((string)e.Key, (string?)e.Value ?? ""))
                .Where(e => e.Item1.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || e.Item1.StartsWith("AGENTFLAN_", StringComparison.OrdinalIgnoreCase))
                .OrderBy(e => e.Item1, StringComparer.Ordinal))
            {
                identity.Append(name).Append('=').Append(value).Append('\n');
            }

            var folder = Path.Combine(Path.GetTempPath(), $"agentflan-{Environment.UserName}");
            if (!OperatingSystem.IsWindows())
            {
                // Only the user may enter the folder, so only the user's builds reach the server.
                const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                Directory.CreateDirectory(folder, Private);
                if (File.GetUnixFileMode(folder) != Private)
                {
                    return null;
                }
            }
            else
            {
                Directory.CreateDirectory(folder);
            }

            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
            var path = Path.Combine(folder, hash + ".sock");

            // A Unix socket's path has room for about 100 bytes.
            return Encoding.UTF8.GetByteCount(path) < 100 ? path : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Serves compiles on <paramref name="socketPath"/> until idle for <paramref name="idle"/>; 0 also when another server already listens there.</summary>
    public static int Serve(string socketPath, TimeSpan idle)
    {
        if (Listening(socketPath))
        {
            return 0;
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // Bound and listening under a name of its own, then moved into place: a socket file a build finds is one it
            // can connect to (a file left by a server that died is replaced).
            var bound = $"{socketPath}.{Environment.ProcessId}";
            File.Delete(bound);
            listener.Bind(new UnixDomainSocketEndPoint(bound));
            listener.Listen(8);
            File.Move(bound, socketPath, overwrite: true);
            Accept(listener, idle);
            return 0;
        }
        finally
        {
            listener.Dispose();

            // Removed unless another server has taken the name since.
            if (!Listening(socketPath))
            {
                File.Delete(socketPath);
            }
        }
    }

    /// <summary>Answers builds until none came for <paramref name="idle"/> and none is being served.</summary>
    private static void Accept(Socket listener, TimeSpan idle)
    {
        int busy = 0;
        long lastRequest = Stopwatch.GetTimestamp();
        bool collected = true;
        while (true)
        {
            var accepting = listener.AcceptAsync();
            while (!accepting.Wait(TimeSpan.FromMilliseconds(500)))
            {
                if (Volatile.Read(ref busy) != 0)
                {
                    continue;
                }

                var waited = Stopwatch.GetElapsedTime(Volatile.Read(ref lastRequest));
                if (waited > idle)
                {
                    return;
                }

                if (!collected && waited > TimeSpan.FromSeconds(1))
                {
                    // A second without a build: give the memory of the last compile back (the server idles small).
                    // Not right after a compile, when the next build may already be on its way.
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    collected = true;
                }
            }

            var connection = accepting.Result;
            if (Interlocked.CompareExchange(ref busy, 1, 0) != 0)
            {
                Answer(connection, Protocol.Busy);
                continue;
            }

            collected = false;
            var serving = new Thread(() =>
            {
                // Free for the next build before this one is told it is done, so a build that follows at once is served.
                void Release()
                {
                    Volatile.Write(ref lastRequest, Stopwatch.GetTimestamp());
                    Volatile.Write(ref busy, 0);
                }

                try
                {
                    Handle(connection, Release);
                }
                finally
                {
                    Release();
                }
            })
            { Name = "AgentFlan compile server request" };
            serving.Start();
        }
    }

    /// <summary>Whether a server listens at the path (connecting costs it an empty request, which it ignores).</summary>
    private static bool Listening(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Answer(Socket connection, string line)
    {
        using var stream = new NetworkStream(connection, ownsSocket: true);
        try
        {
            stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        }
        catch (IOException)
        {
            // The build went away first.
        }
    }

    /// <summary>One build's request: compile as the worker does, <paramref name="release"/> the server, then say it is done.</summary>
    private static void Handle(Socket connection, Action release)
    {
        using var stream = new NetworkStream(connection, ownsSocket: true);
        var input = new StreamReader(stream, new UTF8Encoding(false));
        string? line;
        try
        {
            line = input.ReadLine();
        }
        catch (IOException)
        {
            return;
        }

        if (line is null)
        {
            return;
        }

        if (Protocol.IsResolve(line))
        {
            Resolve(stream, line);
            return;
        }

        CompileRequest request;
        try
        {
            request = Protocol.ReadRequest(line);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a build of this assembly (a stray connection): nothing to serve.
            return;
        }

        int finished = 0;

        // The build sends nothing more: the end of its connection before the compile's means it is gone.
        var watch = new Thread(() =>
        {
            try
            {
                while (input.Read() >= 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Closed: the same as its end.
            }

            if (Volatile.Read(ref finished) == 0)
            {
                Environment.Exit(3);
            }
        })
        { IsBackground = true, Name = "AgentFlan build watch" };
        watch.Start();

        if (request.WorkingDirectory is { } directory && Directory.Exists(directory))
        {
            Environment.CurrentDirectory = directory;
        }

        var report = new Protocol.Writer(stream);
        RecipeCompilation.Run(request, report, CancellationToken.None, Tokenizers);
        Volatile.Write(ref finished, 1);
        release();
        try
        {
            report.Done();
        }
        catch (IOException)
        {
            // Finished and published; the build went away at the last moment.
        }
    }

    /// <summary>Resolves recipes for a build (<see cref="RecipeResolution"/>): clean ones, or none (the build resolves them itself).</summary>
    private static void Resolve(NetworkStream stream, string line)
    {
        string answer;
        try
        {
            var (request, directory) = Protocol.ReadResolve(line);
            if (directory is not null && Directory.Exists(directory))
            {
                Environment.CurrentDirectory = directory;
            }

            answer = Protocol.WriteResolved(RecipeResolution.Run(request, onlyIfClean: true));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the build resolves the recipes itself and reports it there.
            answer = Protocol.Unresolved;
        }

        try
        {
            stream.Write(Encoding.UTF8.GetBytes(answer + "\n"));
        }
        catch (IOException)
        {
            // The build went away first.
        }
    }
}

/// <summary>The build's side of <see cref="CompileServer"/>: hand the request over, replay what comes back.</summary>
internal static class CompileServerClient
{
    /// <summary>What became of a request.</summary>
    public enum Outcome
    {
        /// <summary>Compiled (or cancelled, or failed) by the server, everything reported.</summary>
        Served,

        /// <summary>No server listens (and none was to be started, or it did not come up).</summary>
        Unavailable,

        /// <summary>The server is compiling for another build.</summary>
        Busy,
    }

    /// <summary>
    /// Sends <paramref name="request"/> to the server at <paramref name="socketPath"/>, calling <paramref name="start"/>
    /// (when given) to start one if none listens, and replays its report into <paramref name="report"/>.
    /// </summary>
    public static Outcome TryCompile(string socketPath, CompileRequest request, ICompileReport report, Func<bool>? start, Action<string> log, CancellationToken cancellationToken)
    {
        var socket = Connect(socketPath);
        if (socket is null)
        {
            if (start is null || !start())
            {
                return Outcome.Unavailable;
            }

            var clock = Stopwatch.StartNew();
            while (socket is null && clock.Elapsed < TimeSpan.FromSeconds(10) && !cancellationToken.IsCancellationRequested)
            {
                Thread.Sleep(10);
                socket = Connect(socketPath);
            }

            if (socket is null)
            {
                return Outcome.Unavailable;
            }
        }

        using var stream = new NetworkStream(socket, ownsSocket: true);

        // Cancelling closes the connection: the server then stops without publishing.
        using var cancel = cancellationToken.Register(stream.Dispose);
        try
        {
            stream.Write(Encoding.UTF8.GetBytes(Protocol.WriteRequest(request) + "\n"));
            using var output = new StreamReader(stream, new UTF8Encoding(false));
            bool first = true;
            while (output.ReadLine() is { } line)
            {
                if (first && line == Protocol.Busy)
                {
                    return Outcome.Busy;
                }

                first = false;
                if (line == Protocol.DoneLine)
                {
                    return Outcome.Served;
                }

                if (!Protocol.Replay(line, report))
                {
                    log(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // Closed by a cancel, or the server died: told apart below.
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            var recipe = request.Recipes.Count > 0 ? request.Recipes[0].Recipe : null;
            report.InternalError("the compile server stopped before the compile was done", $"The connection to the compile server at {socketPath} ended early.", recipe);
        }

        return Outcome.Served;
    }

    /// <summary>
    /// Asks the server at <paramref name="socketPath"/>, if one is running (none is started), to resolve the recipes; the
    /// results when it did, all of them clean, or null: none listens, it is busy, or it left them to the build.
    /// </summary>
    public static IReadOnlyList<RecipeResolution.Result>? TryResolve(string socketPath, RecipeResolution.Request request, string directory)
    {
        using var socket = Connect(socketPath);
        if (socket is null)
        {
            return null;
        }

        try
        {
            socket.ReceiveTimeout = 60_000;
            using var stream = new NetworkStream(socket, ownsSocket: false);
            stream.Write(Encoding.UTF8.GetBytes(Protocol.WriteResolve(request, directory) + "\n"));
            using var input = new StreamReader(stream, new UTF8Encoding(false));
            return input.ReadLine() is { } line && line != Protocol.Busy && line != Protocol.Unresolved ? Protocol.ReadResolved(line, request) : null;
        }
        catch (Exception e) when (e is IOException or SocketException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static Socket? Connect(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }
}
