using System.Text;
using System.Text.Json;
using AgentFlan.Diagnostics;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// The compile worker: <see cref="CompileRecipe"/> runs its recipes in a process of its own, this assembly started as a
/// program (<c>dotnet AgentFlan.Build.Tasks.dll compile</c>). A compile runs a few seconds of new code, and MSBuild's
/// runtime settings (tiered compilation with dynamic PGO) run much of it unoptimized or instrumented; this program's
/// settings turn dynamic PGO off (<c>TieredPGO</c> in the project), which took a 50,000-conversation edit from 6.2–6.7
/// to 4.6 s, and promote hot methods to optimized code without waiting (<see cref="RuntimeSettings"/>). The request comes as one JSON line on standard input, which stays open until the task has the result (the
/// worker exits when it closes early); what the task logs goes back as one JSON object per line on standard output
/// (<see cref="Protocol"/>). Nothing here touches MSBuild's types.
/// </summary>
internal static class CompileWorker
{
    public const string Verb = "compile";

    /// <summary>
    /// Runtime settings only the environment can give (no runtimeconfig property reads them), set for the worker unless
    /// the build's environment sets them. Tiered compilation promotes a method to optimized code only after 100 ms with
    /// no new method compiled; a compile keeps meeting new code for seconds, so its hot loops (hash lookups, span
    /// searches, the reader's mapping) ran unoptimized for much of a compile. With no delay: a cold compile of
    /// 4 × 50,000 conversations 12.0 → 10.7 s, an edit of one of them 4.8–5.3 → 4.1–4.2 s (2 cores).
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> RuntimeSettings { get; } = [("DOTNET_TC_CallCountingDelayMs", "0")];

    public static int Main(string[] args)
    {
        if (args is [CompileServer.Verb, var socket, var idle] && int.TryParse(idle, System.Globalization.CultureInfo.InvariantCulture, out var idleSeconds) && idleSeconds > 0)
        {
            return CompileServer.Serve(socket, TimeSpan.FromSeconds(idleSeconds));
        }

        if (args is not [Verb])
        {
            Console.Error.WriteLine($"usage: dotnet AgentFlan.Build.Tasks.dll {Verb} < request.json | {CompileServer.Verb} <socket> <idle seconds> (started by the CompileRecipe task)");
            return 2;
        }

        Console.OutputEncoding = new UTF8Encoding(false);
        var request = Protocol.ReadRequest(Console.In.ReadLine() ?? throw new InvalidDataException("No request on standard input."));

        // The task keeps standard input open while it waits: its end means the build is gone (killed, not cancelled),
        // and a compile nobody waits for must not publish a manifest later, over what another build wrote.
        var orphaned = new Thread(() =>
        {
            while (Console.In.Read() >= 0)
            {
            }

            Environment.Exit(3);
        })
        { IsBackground = true, Name = "AgentFlan build watch" };
        orphaned.Start();

        using var output = Console.OpenStandardOutput();
        RecipeCompilation.Run(request, new Protocol.Writer(output), CancellationToken.None);
        return 0;
    }
}

/// <summary>
/// The worker's wire format: the request as one JSON object, the report as JSON lines (<c>"e"</c> names the event). A
/// compile server ends its report with <see cref="DoneLine"/>, or answers <see cref="Busy"/> alone.
/// </summary>
internal static class Protocol
{
    public const string Busy = """{"e":"busy"}""";
    public const string DoneLine = """{"e":"done"}""";

    /// <summary>The server's answer to a resolve it leaves to the build (an error to report, a folder source).</summary>
    public const string Unresolved = """{"e":"unresolved"}""";

    private const string ResolvePrefix = """{"resolve":""";

    /// <summary>One line of JSON, as <paramref name="write"/> writes it.</summary>
    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static bool IsResolve(string line) => line.StartsWith(ResolvePrefix, StringComparison.Ordinal);

    /// <summary>A request to resolve recipes (<see cref="RecipeResolution"/>), with the build's working directory.</summary>
    public static string WriteResolve(RecipeResolution.Request request, string directory)
    {
        return Line(json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("resolve");
            json.WriteStartArray("recipes");
            foreach (var (item, path) in request.Recipes)
            {
                json.WriteStartObject();
                json.WriteString("item", item);
                json.WriteString("path", path);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("overrides", request.Overrides);
            json.WriteString("intermediate", request.IntermediateDirectory);
            json.WriteString("output", request.OutputDirectory);
            json.WriteString("directory", directory);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    public static (RecipeResolution.Request Request, string? Directory) ReadResolve(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement.GetProperty("resolve");
        var recipes = root.GetProperty("recipes").EnumerateArray().Select(r => (r.GetProperty("item").GetString()!, r.GetProperty("path").GetString()!)).ToList();
        return (new RecipeResolution.Request(recipes, root.GetProperty("overrides").GetString(), root.GetProperty("intermediate").GetString()!, root.GetProperty("output").GetString()!), root.GetProperty("directory").GetString());
    }

    /// <summary>The server's answer: the entries of recipes it resolved (all of them, clean), or <see cref="Unresolved"/>.</summary>
    public static string WriteResolved(IReadOnlyList<RecipeResolution.Result>? results)
    {
        if (results is null)
        {
            return Unresolved;
        }

        return Line(json =>
        {
            json.WriteStartObject();
            ResolveSnapshot.WriteEntries(json, "resolved", [.. results.Select(r => r.Entry!)]);
            json.WriteEndObject();
        });
    }

    /// <summary>What <see cref="WriteResolved"/> wrote, as results for <paramref name="request"/>'s recipes in order; null when it is not their resolution.</summary>
    public static IReadOnlyList<RecipeResolution.Result>? ReadResolved(string line, RecipeResolution.Request request)
    {
        using var document = JsonDocument.Parse(line);
        if (!document.RootElement.TryGetProperty("resolved", out var resolved))
        {
            return null;
        }

        var entries = resolved.EnumerateArray().Select(e => ResolveSnapshot.ReadEntry(e)).ToList();
        if (!entries.Select(e => e.Item).SequenceEqual(request.Recipes.Select(r => r.Item), StringComparer.Ordinal))
        {
            return null;
        }

        return [.. entries.Zip(request.Recipes, (entry, recipe) => new RecipeResolution.Result(
            entry.Item,
            recipe.Path,
            [.. entry.Warnings.Select(w => Diagnostic.Warning(w.Code, w.Message, w.File, w.Line, w.Column))],
            null,
            entry,
            true))];
    }

    public static string WriteRequest(CompileRequest request)
    {
        return Line(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("recipes");
            foreach (var (recipe, data) in request.Recipes)
            {
                json.WriteStartObject();
                json.WriteString("recipe", recipe);
                json.WriteString("data", data);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("overrides", request.Overrides);
            json.WriteString("cache", request.CacheDirectory);
            json.WriteNumber("spool_mb", request.SpoolBudgetMegabytes);
            json.WriteNumber("threads", request.Threads);
            if (request.WorkingDirectory is not null)
            {
                json.WriteString("directory", request.WorkingDirectory);
            }

            json.WriteEndObject();
        });
    }

    public static CompileRequest ReadRequest(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var recipes = root.GetProperty("recipes").EnumerateArray().Select(r => (r.GetProperty("recipe").GetString()!, r.GetProperty("data").GetString()!)).ToList();
        return new CompileRequest(
            recipes,
            root.GetProperty("overrides").GetString(),
            root.GetProperty("cache").GetString(),
            root.GetProperty("spool_mb").GetInt32(),
            root.GetProperty("threads").GetInt32(),
            root.TryGetProperty("directory", out var directory) ? directory.GetString() : null);
    }

    /// <summary>Replays one line of the worker's output into <paramref name="report"/>; false when the line is not an event.</summary>
    public static bool Replay(string line, ICompileReport report)
    {
        if (!line.StartsWith('{'))
        {
            return false;
        }

        JsonElement e;
        try
        {
            using var document = JsonDocument.Parse(line);
            e = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return false;
        }

        switch (e.GetProperty("e").GetString())
        {
            case "diagnostic":
                report.Diagnostics([new Diagnostic(
                    e.GetProperty("code").GetString()!,
                    Enum.Parse<DiagnosticSeverity>(e.GetProperty("severity").GetString()!),
                    e.GetProperty("file").GetString(),
                    e.GetProperty("line").GetInt32(),
                    e.GetProperty("column").GetInt32(),
                    e.GetProperty("message").GetString()!)]);
                return true;
            case "message":
                report.Message(e.GetProperty("high").GetBoolean(), e.GetProperty("text").GetString()!);
                return true;
            case "manifest":
                report.Manifest(e.GetProperty("path").GetString()!);
                return true;
            case "internal":
                report.InternalError(e.GetProperty("message").GetString()!, e.GetProperty("detail").GetString()!, e.GetProperty("file").GetString());
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes each report as one JSON line, flushed at once (the task logs as the worker goes).</summary>
    public sealed class Writer(Stream output) : ICompileReport
    {
        public void Diagnostics(IEnumerable<Diagnostic> diagnostics)
        {
            foreach (var d in diagnostics)
            {
                Line(json =>
                {
                    json.WriteString("e", "diagnostic");
                    json.WriteString("code", d.Code);
                    json.WriteString("severity", d.Severity.ToString());
                    json.WriteString("file", d.File);
                    json.WriteNumber("line", d.Line);
                    json.WriteNumber("column", d.Column);
                    json.WriteString("message", d.Message);
                });
            }
        }

        public void Message(bool high, string text) => Line(json =>
        {
            json.WriteString("e", "message");
            json.WriteBoolean("high", high);
            json.WriteString("text", text);
        });

        public void Manifest(string path) => Line(json =>
        {
            json.WriteString("e", "manifest");
            json.WriteString("path", path);
        });

        public void InternalError(string message, string detail, string? file) => Line(json =>
        {
            json.WriteString("e", "internal");
            json.WriteString("message", message);
            json.WriteString("detail", detail);
            json.WriteString("file", file);
        });

        /// <summary>The end of a compile server's report.</summary>
        public void Done()
        {
            output.Write(Encoding.UTF8.GetBytes(DoneLine + "\n"));
            output.Flush();
        }

        private void Line(Action<Utf8JsonWriter> write)
        {
            using (var json = new Utf8JsonWriter(output))
            {
                json.WriteStartObject();
                write(json);
                json.WriteEndObject();
            }

            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }
}
