using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgentFlan.Readers;

namespace AgentFlan.Bench;

/// <summary>
/// Generates a file of the requested size in one format, then reads it once to warm up and once measured,
/// printing MB/s, conversations/s and peak working set. Peak memory should not grow with the file size.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var format = args.Length > 0 ? args[0] : "openai";
        var megabytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var layout = args.Length > 2 ? args[2] : "jsonl";
        var file = Path.Combine(Path.GetTempPath(), $"agentflan-bench-{format}-{megabytes}mb.{layout}");
        if (!File.Exists(file))
        {
            BenchFile.Write(file, format, (long)megabytes << 20, layout == "json");
        }

        var bytes = new FileInfo(file).Length;
        var reader = SourceReaders.Find(format) ?? throw new ArgumentException($"unknown format {format}");
        Measure(reader, file, bytes, warmup: true);
        Measure(reader, file, bytes, warmup: false);
        File.Delete(file);
        return 0;
    }

    private static void Measure(ISourceReader reader, string file, long bytes, bool warmup)
    {
        var tally = new ReadTally();
        var process = Process.GetCurrentProcess();
        var stopwatch = Stopwatch.StartNew();
        foreach (var result in reader.Read(file, "bench", CancellationToken.None))
        {
            tally.Add(result);
        }

        stopwatch.Stop();
        process.Refresh();
        if (warmup)
        {
            return;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reader.Format}: {bytes / 1e6:F0} MB, {tally.Read} records ({tally.Accepted} accepted, {tally.Repaired} repaired, {tally.Rejected} rejected) in {seconds:F2} s = {bytes / 1e6 / seconds:F0} MB/s, {tally.Read / seconds:F0} conversations/s; peak working set {process.PeakWorkingSet64 / 1e6:F0} MB"));
    }
}
