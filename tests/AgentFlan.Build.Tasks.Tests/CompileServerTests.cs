using System.Diagnostics;
using System.Net.Sockets;
using AgentFlan.Diagnostics;
using AgentFlan.TestUtilities;

namespace AgentFlan.Build.Tasks.Tests;

/// <summary>The compile server, run as the build runs it: this assembly started as a program on a socket of the test's own.</summary>
[TestClass]
public sealed class CompileServerTests
{
    [TestMethod]
    public void Builds_compile_in_one_server_one_after_the_other_as_a_worker_would()
    {
        using var temp = new TempDirectory();
        var recipe = temp.WriteFile("r.recipe.yaml", "seed: 4\nsources:\n  - {name: s, format: synthetic, count: 60}\nsequence:\n  length: 256\n");
        using var server = Server.Start(temp.Combine("s.sock"), idleSeconds: 60);

        var first = new Recorded();
        var firstData = temp.Combine("first");
        Assert.AreEqual(CompileServerClient.Outcome.Served, Compile(server.Socket, new CompileRequest([(recipe, firstData)], null, null, 0, 0, temp.Path), first));
        var second = new Recorded();
        var secondData = temp.Combine("second");

        // A relative output directory is the build's: the request's working directory resolves it.
        Assert.AreEqual(CompileServerClient.Outcome.Served, Compile(server.Socket, new CompileRequest([(recipe, "second")], null, null, 0, 0, temp.Path), second));

        Assert.AreEqual(0, first.Errors.Count + second.Errors.Count, string.Join("\n", first.Errors.Concat(second.Errors)));
        CollectionAssert.AreEqual(new[] { Path.Combine(firstData, "manifest.json") }, first.Manifests);
        Assert.AreEqual(1, second.Manifests.Count);
        Assert.IsTrue(first.Messages.Any(m => m.Text.StartsWith("AgentFlan: compiled recipe 'r'", StringComparison.Ordinal)));
        foreach (var file in Directory.GetFiles(firstData).Select(Path.GetFileName))
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(firstData, file!)), File.ReadAllBytes(Path.Combine(secondData, file!)), file);
        }

        Assert.IsFalse(server.Process.HasExited, "the server stays for the next build");
    }

    [TestMethod]
    public void The_server_resolves_clean_recipes_as_the_build_would_and_leaves_the_others_to_it()
    {
        using var temp = new TempDirectory();
        var recipe = temp.WriteFile("r.recipe.yaml", "seed: 4\nsources:\n  - {name: s, format: synthetic, count: 60}\nsequence:\n  length: 256\nmixing:\n  general_ratio: 3\n");
        using var server = Server.Start(temp.Combine("s.sock"), idleSeconds: 60);
        var request = new RecipeResolution.Request([("r.recipe.yaml", recipe)], null, temp.Combine("served", "obj"), temp.Combine("served", "out"));

        var served = CompileServerClient.TryResolve(server.Socket, request, temp.Path);
        var local = RecipeResolution.Run(request with { IntermediateDirectory = temp.Combine("local", "obj"), OutputDirectory = temp.Combine("local", "out") })!;

        Assert.IsNotNull(served);
        var (entry, mine) = (served.Single().Entry!, local.Single().Entry!);
        Assert.AreEqual(mine.Summary, entry.Summary);
        CollectionAssert.AreEqual(mine.Files.ToList(), entry.Files.ToList());
        CollectionAssert.AreEqual(
            mine.Metadata.Select(m => $"{m.Key}={m.Value.Replace(temp.Combine("local"), "<root>", StringComparison.Ordinal)}").ToList(),
            entry.Metadata.Select(m => $"{m.Key}={m.Value.Replace(temp.Combine("served"), "<root>", StringComparison.Ordinal)}").ToList());
        CollectionAssert.AreEqual(File.ReadAllBytes(temp.Combine("local", "obj", "r.data.json")), File.ReadAllBytes(temp.Combine("served", "obj", "r.data.json")), "the server wrote the same stamp");
        Assert.AreEqual(local.Single().Diagnostics.Count, served.Single().Diagnostics.Count, "its warnings come along");

        // A recipe with an error is the build's to report: the server writes nothing and says so.
        var broken = temp.WriteFile("b.recipe.yaml", "sources:\n  - {name: s, format: nonsense, count: 5}\n");
        var brokenRequest = new RecipeResolution.Request([("b.recipe.yaml", broken)], null, temp.Combine("broken", "obj"), temp.Combine("broken", "out"));
        Assert.IsNull(CompileServerClient.TryResolve(server.Socket, brokenRequest, temp.Path));
        Assert.IsFalse(Directory.Exists(temp.Combine("broken")));
        Assert.IsNull(CompileServerClient.TryResolve(temp.Combine("nobody.sock"), request, temp.Path), "no server, no answer");
    }

    [TestMethod]
    public void A_build_that_finds_the_server_serving_another_is_told_at_once()
    {
        using var temp = new TempDirectory();
        using var server = Server.Start(temp.Combine("s.sock"), idleSeconds: 60);

        // A build that connected and has not sent its request yet holds the server.
        using var holder = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        holder.Connect(new UnixDomainSocketEndPoint(server.Socket));
        var clock = Stopwatch.StartNew();
        CompileServerClient.Outcome outcome;
        do
        {
            outcome = Compile(server.Socket, new CompileRequest([(temp.Combine("none.recipe.yaml"), temp.Combine("out"))], null, null, 0, 0), new Recorded());
        }
        while (outcome != CompileServerClient.Outcome.Busy && clock.Elapsed < TimeSpan.FromSeconds(20));

        Assert.AreEqual(CompileServerClient.Outcome.Busy, outcome);
    }

    [TestMethod]
    public void A_server_whose_build_is_gone_stops_without_publishing()
    {
        using var temp = new TempDirectory();
        var recipe = temp.WriteFile("r.recipe.yaml", "sources:\n  - {name: s, format: synthetic, count: 3000}\n");
        var data = temp.Combine("out");
        using var server = Server.Start(temp.Combine("s.sock"), idleSeconds: 60);

        // The request, then the end of the connection: what a killed or cancelled build leaves the server.
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Connect(new UnixDomainSocketEndPoint(server.Socket));
            socket.Send(System.Text.Encoding.UTF8.GetBytes(Protocol.WriteRequest(new CompileRequest([(recipe, data)], null, null, 0, 0)) + "\n"));
        }

        Assert.IsTrue(server.Process.WaitForExit(60_000), "the server ended");
        Assert.AreEqual(3, server.Process.ExitCode);
        Assert.IsFalse(File.Exists(Path.Combine(data, "manifest.json")), "nothing was published");
    }

    [TestMethod]
    public void A_server_that_dies_during_the_compile_is_reported_as_an_internal_error()
    {
        using var temp = new TempDirectory();
        var recipe = temp.WriteFile("r.recipe.yaml", "sources:\n  - {name: s, format: synthetic, count: 3000}\n");
        using var server = Server.Start(temp.Combine("s.sock"), idleSeconds: 60);
        var report = new Recorded();
        var compiling = Task.Run(() => Compile(server.Socket, new CompileRequest([(recipe, temp.Combine("out"))], null, null, 0, 0), report));
        Thread.Sleep(300);
        server.Process.Kill();

        Assert.IsTrue(compiling.Wait(TimeSpan.FromSeconds(60)), "the build is not left waiting");
        Assert.AreEqual(CompileServerClient.Outcome.Served, compiling.Result);
        StringAssert.Contains(report.Errors.Single(), "the compile server stopped before the compile was done");
    }

    [TestMethod]
    public void An_idle_server_exits_and_removes_its_socket_and_a_dead_ones_socket_is_taken_over()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("s.sock");

        // What a server that died leaves: the socket file, nobody listening (a closed socket removes the name it was
        // bound to, so it is bound under another and moved).
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(path + ".dead"));
            File.Move(path + ".dead", path);
        }

        Assert.IsTrue(File.Exists(path));
        using var server = Server.Start(path, idleSeconds: 1);
        Assert.IsTrue(server.Process.WaitForExit(30_000), "an idle server exits");
        Assert.AreEqual(0, server.Process.ExitCode);
        Assert.IsFalse(File.Exists(path), "and takes its socket with it");
    }

    [TestMethod]
    public void The_socket_belongs_to_the_assembly_and_the_environment_in_a_private_folder()
    {
        var assembly = typeof(CompileRecipe).Assembly.Location;
        var path = CompileServer.SocketPath(assembly);
        Assert.IsNotNull(path);
        Assert.AreEqual(path, CompileServer.SocketPath(assembly));
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }

        const string Variable = "AGENTFLAN_SERVER_TEST";
        Environment.SetEnvironmentVariable(Variable, "1");
        try
        {
            Assert.AreNotEqual(path, CompileServer.SocketPath(assembly), "a build with another environment gets another server");
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }

    [TestMethod]
    public void A_changed_assembly_beside_the_task_gets_another_server()
    {
        // Built from source, a change to Core alone leaves the task assembly as it was: the server must not be the old one.
        using var temp = new TempDirectory();
        var assembly = temp.Combine("AgentFlan.Build.Tasks.dll");
        File.Copy(typeof(CompileRecipe).Assembly.Location, assembly);
        var core = temp.Combine("AgentFlan.Core.dll");
        File.Copy(typeof(Compilation.RecipeCompiler).Assembly.Location, core);
        var before = CompileServer.SocketPath(assembly);

        File.SetLastWriteTimeUtc(core, File.GetLastWriteTimeUtc(core).AddSeconds(5));

        Assert.IsNotNull(before);
        Assert.AreNotEqual(before, CompileServer.SocketPath(assembly));
    }

    private static CompileServerClient.Outcome Compile(string socket, CompileRequest request, Recorded report) =>
        CompileServerClient.TryCompile(socket, request, report, start: null, log: _ => { }, CancellationToken.None);

    private sealed class Server : IDisposable
    {
        private Server(string socket, Process process)
        {
            Socket = socket;
            Process = process;
        }

        public string Socket { get; }

        public Process Process { get; }

        public static Server Start(string socket, int idleSeconds)
        {
            // Its standard streams are its own (as the task starts it): the test run's output never waits for it.
            var start = new ProcessStartInfo(DotNet.HostPath) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(typeof(CompileRecipe).Assembly.Location);
            start.ArgumentList.Add(CompileServer.Verb);
            start.ArgumentList.Add(socket);
            start.ArgumentList.Add(idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var server = new Server(socket, Process.Start(start)!);
            server.Process.StandardInput.Close();
            server.Process.StandardOutput.Close();
            server.Process.StandardError.Close();

            // Listening once a client can connect.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && !server.Process.HasExited)
            {
                if (File.Exists(socket))
                {
                    break;
                }

                Thread.Sleep(10);
            }

            return server;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }

    private sealed class Recorded : ICompileReport
    {
        public List<Diagnostic> Diagnostics { get; } = [];

        public List<(bool High, string Text)> Messages { get; } = [];

        public List<string> Manifests { get; } = [];

        public List<string> Errors { get; } = [];

        void ICompileReport.Diagnostics(IEnumerable<Diagnostic> diagnostics)
        {
            Diagnostics.AddRange(diagnostics);
            Errors.AddRange(diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        }

        public void Message(bool high, string text) => Messages.Add((high, text));

        public void Manifest(string path) => Manifests.Add(path);

        public void InternalError(string message, string detail, string? file) => Errors.Add($"{message}: {detail}");
    }
}
