using System.Text;
using System.Text.Json;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks;

/// <summary>
/// What the last successful <see cref="ResolveRecipes"/> produced, and every file it read, by size and write
/// time (<c>resolve.snapshot.json</c> next to the stamps). When the recipe list, the parameters, the compiler and
/// every one of those files are unchanged, the task replays the snapshot instead of parsing and validating the
/// YAML again: the stamps it wrote are still exact, so a no-op build does no recipe work (parsing is most of
/// a no-op build's cost in a fresh MSBuild process). Recipes whose sources are folders or patterns never
/// take the shortcut (a new file would not change any recorded time). Written only when every recipe resolved
/// without an error; read with <see cref="JsonDocument"/>, which needs no serializer start-up.
/// </summary>
internal static class ResolveSnapshot
{
    public const string FileName = "resolve.snapshot.json";

    /// <summary>A resolved recipe: the output item's metadata, the files it depends on, and its warnings to replay.</summary>
    public sealed record Entry(string Item, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<string> Files, IReadOnlyList<Warning> Warnings, string Summary);

    public sealed record Warning(string Code, string Message, string? File, int Line, int Column);

    public static void Write(string path, string key, IReadOnlyList<Entry> entries)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            WriteEntries(json, "recipes", entries);
            json.WriteEndObject();
        }

        AgentFlan.IO.AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The entries as a JSON array named <paramref name="name"/> (each file with its size and time); also the compile server's answer to a resolve.</summary>
    public static void WriteEntries(Utf8JsonWriter json, string name, IReadOnlyList<Entry> entries)
    {
        json.WriteStartArray(name);
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            json.WriteString("item", entry.Item);
            json.WriteString("summary", entry.Summary);
            json.WriteStartObject("metadata");
            foreach (var (key, value) in entry.Metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("files");
            foreach (var file in entry.Files)
            {
                json.WriteStartArray();
                json.WriteStringValue(file);
                json.WriteStringValue(Stat(file));
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in entry.Warnings)
            {
                json.WriteStartArray();
                json.WriteStringValue(warning.Code);
                json.WriteStringValue(warning.Message);
                json.WriteStringValue(warning.File);
                json.WriteNumberValue(warning.Line);
                json.WriteNumberValue(warning.Column);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>An entry <see cref="WriteEntries"/> wrote (the files' recorded sizes and times are left out: <see cref="Unchanged"/> checks them).</summary>
    public static Entry ReadEntry(JsonElement recipe)
    {
        var files = recipe.GetProperty("files").EnumerateArray().Select(file => file[0].GetString()!).ToList();

        var metadata = recipe.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        var warnings = recipe.GetProperty("warnings").EnumerateArray()
            .Select(w => new Warning(w[0].GetString()!, w[1].GetString()!, w[2].GetString(), w[3].GetInt32(), w[4].GetInt32()))
            .ToList();
        return new Entry(recipe.GetProperty("item").GetString()!, metadata, files, warnings, recipe.GetProperty("summary").GetString()!);
    }

    /// <summary>The snapshot's entries when it is still exact for these recipes and this key; otherwise null.</summary>
    public static IReadOnlyList<Entry>? TryRead(string path, string key, IReadOnlyList<string> items)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("key").GetString() != key)
            {
                return null;
            }

            var entries = new List<Entry>();
            foreach (var recipe in root.GetProperty("recipes").EnumerateArray())
            {
                if (!Unchanged(recipe))
                {
                    return null;
                }

                var entry = ReadEntry(recipe);
                if (!File.Exists(entry.Metadata["DataStamp"]) || !File.Exists(entry.Metadata["TrainJob"]))
                {
                    return null;
                }

                entries.Add(entry);
            }

            return entries.Select(e => e.Item).SequenceEqual(items, StringComparer.Ordinal) ? entries : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>Replays an entry: its warnings, its one-line summary, and its output item.</summary>
    public static ITaskItem Replay(Entry entry, TaskLoggingHelper log)
    {
        foreach (var w in entry.Warnings)
        {
            log.LogWarning(null, w.Code, null, w.File, w.Line, w.Column, 0, 0, w.Message);
        }

        // The summary was true when it was written; a compile since then (manifest newer than the stamp) made the data current.
        var manifest = entry.Metadata["Manifest"];
        var recipe = entry.Metadata["RecipeName"];
        var summary = !File.Exists(manifest) ? $"AgentFlan: recipe '{recipe}': data will be recompiled: no compiled output yet"
            : File.GetLastWriteTimeUtc(manifest) >= File.GetLastWriteTimeUtc(entry.Metadata["DataStamp"]) ? $"AgentFlan: recipe '{recipe}': data up to date"
            : entry.Summary;
        log.LogMessage(MessageImportance.High, summary);
        var item = new TaskItem(entry.Item);
        foreach (var (name, value) in entry.Metadata)
        {
            item.SetMetadata(name, value);
        }

        return item;
    }

    /// <summary>Whether every file an entry records still has the size and time it had.</summary>
    private static bool Unchanged(JsonElement recipe) =>
        recipe.GetProperty("files").EnumerateArray().All(file => Stat(file[0].GetString()!) == file[1].GetString());

    private static string Stat(string path)
    {
        if (Directory.Exists(path))
        {
            return $"folder:{Directory.GetLastWriteTimeUtc(path).Ticks}";
        }

        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "missing";
    }
}
