using AgentFlan.Build.Tasks;
using AgentFlan.Diagnostics;

namespace AgentFlan.Build.Tasks.Tests;

/// <summary>The compile worker's wire format: what the worker reports is what the task logs, field for field.</summary>
[TestClass]
public sealed class CompileWorkerTests
{
    [TestMethod]
    public void A_request_reads_back_as_written()
    {
        var request = new CompileRequest([("/r/a b.recipe.yaml", "/out/a b/data"), ("ü/ß.yaml", "x")], "seed=2;training.steps=50", null, 16, 3);

        var read = Protocol.ReadRequest(Protocol.WriteRequest(request));

        CollectionAssert.AreEqual(request.Recipes.ToArray(), read.Recipes.ToArray());
        Assert.AreEqual(request with { Recipes = read.Recipes }, read);
    }

    [TestMethod]
    public void Every_report_replays_as_written()
    {
        using var stream = new MemoryStream();
        var writer = new Protocol.Writer(stream);
        Diagnostic[] diagnostics =
        [
            Diagnostic.Error(DiagnosticCodes.SampleTooLong, "Sample 'x' (a.jsonl:3) has \"4097\" tokens;\nline two — ünïcode", "/r/a.recipe.yaml", 12, 7),
            Diagnostic.Warning(DiagnosticCodes.CacheEntryCorrupt, "Cache entry failed its check.", null),
        ];
        writer.Diagnostics(diagnostics);
        writer.Message(high: true, "AgentFlan: compiled recipe 'a': 3 conversations");
        writer.Message(high: false, "timings");
        writer.Manifest("/out/a/data/manifest.json");
        writer.InternalError("boom", "System.Exception: boom\n   at X", "/r/a.recipe.yaml");

        var recorded = new Recorded();
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.IsTrue(lines.All(line => Protocol.Replay(line, recorded)));
        Assert.IsFalse(Protocol.Replay("Unhandled exception. not an event", recorded), "a line that is not an event is logged as it is");

        CollectionAssert.AreEqual(diagnostics, recorded.Diagnostics);
        CollectionAssert.AreEqual(new[] { (true, "AgentFlan: compiled recipe 'a': 3 conversations"), (false, "timings") }, recorded.Messages);
        CollectionAssert.AreEqual(new[] { "/out/a/data/manifest.json" }, recorded.Manifests);
        CollectionAssert.AreEqual(new[] { ("boom", "System.Exception: boom\n   at X", (string?)"/r/a.recipe.yaml") }, recorded.Errors);
    }

    [TestMethod]
    public void A_worker_whose_build_is_gone_stops_without_publishing()
    {
        using var temp = new AgentFlan.TestUtilities.TempDirectory();
        var recipe = temp.WriteFile("r.recipe.yaml", "sources:\n  - {name: s, format: synthetic, count: 3000}\n");
        var data = temp.Combine("out");
        var start = new System.Diagnostics.ProcessStartInfo(AgentFlan.TestUtilities.DotNet.HostPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CompileRecipe).Assembly.Location);
        start.ArgumentList.Add(CompileWorker.Verb);
        using var worker = System.Diagnostics.Process.Start(start)!;

        // The request, then the end of the input: what a killed build leaves the worker.
        worker.StandardInput.WriteLine(Protocol.WriteRequest(new CompileRequest([(recipe, data)], null, null, 0, 0)));
        worker.StandardInput.Close();
        worker.StandardOutput.ReadToEnd();

        Assert.IsTrue(worker.WaitForExit(60_000), "the worker ended");
        Assert.AreEqual(3, worker.ExitCode);
        Assert.IsFalse(File.Exists(Path.Combine(data, "manifest.json")), "nothing was published");
    }

    private sealed class Recorded : ICompileReport
    {
        public List<Diagnostic> Diagnostics { get; } = [];

        public List<(bool, string)> Messages { get; } = [];

        public List<string> Manifests { get; } = [];

        public List<(string, string, string?)> Errors { get; } = [];

        void ICompileReport.Diagnostics(IEnumerable<Diagnostic> diagnostics) => Diagnostics.AddRange(diagnostics);

        public void Message(bool high, string text) => Messages.Add((high, text));

        public void Manifest(string path) => Manifests.Add(path);

        public void InternalError(string message, string detail, string? file) => Errors.Add((message, detail, file));
    }
}
