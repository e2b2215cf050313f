using System.Text.Json.Nodes;
using AgentFlan.Hashing;
using AgentFlan.Recipes;

namespace AgentFlan.Compilation;

/// <summary>
/// Why a recipe's data will (or will not) be recompiled: the current resolved settings and input files are
/// compared with what the existing manifest recorded. Used by <c>agentflan explain</c> and by the build's
/// one-line summary per recipe.
/// </summary>
public static class RebuildExplanation
{
    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An empty list means the existing output is up to date.</summary>
    /// <param name="hashSourceFiles">Also compare source file contents (reads every file; the build passes false
    /// and relies on sizes and times in its stamp instead).</param>
    public static IReadOnlyList<string> Explain(Recipe recipe, string manifestPath, bool hashSourceFiles = true)
    {
        if (!File.Exists(manifestPath))
        {
            return ["no compiled output yet"];
        }

        // The build asks on every run: read only the settings then (no typed manifest: its serializer metadata
        // costs more start-up than everything else a no-op build does).
        JsonNode? settings;
        DatasetManifest? manifest = null;
        try
        {
            if (hashSourceFiles)
            {
                manifest = DatasetManifest.Load(manifestPath);
                settings = manifest.Settings;
            }
            else
            {
                settings = JsonNode.Parse(File.ReadAllText(manifestPath))?["settings"];
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            return [$"the existing manifest cannot be read ({e.Message})"];
        }

        var reasons = new List<string>();
        var current = JsonNode.Parse(RecipeFingerprint.DataSettings(recipe))!;
        if (settings is null)
        {
            reasons.Add("the manifest records no settings (written by an older version)");
        }
        else
        {
            Diff(settings, current, string.Empty, reasons);
        }

        foreach (var source in manifest?.Statistics.Sources ?? [])
        {
            foreach (var file in source.Files)
            {
                var path = Path.GetFullPath(Path.Combine(recipe.Directory, file.Path));
                if (!File.Exists(path))
                {
                    reasons.Add($"source '{source.Name}': {file.Path} is gone");
                }
                else if (new FileInfo(path).Length != file.Bytes || ContentHash.OfFile(path) != file.Sha256)
                {
                    reasons.Add($"source '{source.Name}': {file.Path} changed");
                }
            }
        }

        return reasons;
    }

    /// <summary>
    /// What a compile would do stage by stage with the cache at <paramref name="cacheDirectory"/>: for each file
    /// source whether its read stage is cached, then whether the samples stage is (in which case the compile only
    /// re-weighs, applies the over-length policy, packs and writes). Hashes every source file.
    /// </summary>
    /// <param name="manifestPath">The last compile's manifest, whose packed-stage keys say which sources' shards the cache still holds; null leaves those lines out.</param>
    public static IReadOnlyList<string> Stages(Recipe recipe, string cacheDirectory, string? manifestPath = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var cache = new Caching.StageCache(cacheDirectory);
        var files = SourceLoader.InputFiles(recipe, recipe.Sources, Tokenization.ParallelTokenizer.DefaultThreads);
        var lines = new List<string>();
        var samplesKey = Caching.SampleStore.Key(recipe, SourceLoader.KeyFiles(recipe, files));
        if (cache.Contains(Caching.SampleStore.Stage, samplesKey))
        {
            lines.Add("samples: cached; a compile re-weighs capabilities, applies the over-length policy, packs and writes, and reads, transforms and tokenizes nothing");
            lines.AddRange(SegmentLines(recipe, cache, samplesKey));
            return lines;
        }

        var packed = PackedKeys(manifestPath);
        var unread = new HashSet<string>(StringComparer.Ordinal);
        for (int s = 0; s < recipe.Sources.Count; s++)
        {
            var source = recipe.Sources[s];
            var cached = files[s].Count > 0 && cache.Contains(Caching.ReadStore.Stage, Caching.ReadStore.Key(source, files[s]));
            if (files[s].Count > 0 && !cached)
            {
                unread.Add(source.Name);
            }

            lines.Add(files[s].Count == 0
                ? $"read {source.Name}: generated ({source.Format})"
                : cached
                    ? $"read {source.Name}: cached"
                    : $"read {source.Name}: will read {files[s].Count} file(s), {files[s].Sum(f => f.Bytes)} bytes");
        }

        foreach (var (name, key) in packed)
        {
            lines.Add(unread.Contains(name)
                ? $"packed {name}: will pack again (its files changed)"
                : cache.Contains(Caching.PackedStore.Stage, key)
                    ? $"packed {name}: the last compile's shards are cached; copied unless the transforms decide differently about this source (deduplication across sources, budgets and the general ratio can)"
                    : $"packed {name}: not cached; will pack again");
        }

        lines.Add("samples: will rebuild: transforms, then a source whose files and transform decisions are unchanged is copied from the packed stage (its shards) or its part of the samples stage; every other conversation is rendered and tokenized unless the document memo holds it");
        return lines;
    }

    /// <summary>
    /// For each source the samples stage holds: whether its shards for these settings are cached (copied), or only its
    /// token files, packed with other capability weights (its masks alone are written), or neither (packed again).
    /// </summary>
    private static IEnumerable<string> SegmentLines(Recipe recipe, Caching.StageCache cache, string samplesKey)
    {
        IReadOnlyList<Caching.StoredSegment> segments;
        try
        {
            using var stored = Caching.SampleStore.Open(cache, samplesKey);
            segments = stored?.Summary.Segments ?? [];
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            // A damaged entry: the compile finds it so too, and rebuilds it.
            yield break;
        }

        if (recipe.Mixing.MaxTokens > 0)
        {
            yield return "packed: a token budget chooses among every sample, so every source is packed again (nothing of the packed or rows stage is used)";
            yield break;
        }

        var (packing, rows) = RecipeCompiler.SegmentSettings(RecipeFingerprint.DataSettings(recipe));
        foreach (var segment in segments.Where(s => s.Identity is not null))
        {
            yield return cache.Contains(Caching.PackedStore.Stage, Caching.PackedStore.Key(segment.Identity!, packing))
                ? $"packed {segment.Source}: cached for these settings; its shards are copied"
                : cache.Contains(Caching.RowsStore.Stage, Caching.RowsStore.Key(segment.Identity!, rows))
                    ? $"rows {segment.Source}: its token files are cached (packed with other capability weights); a compile places its masks and writes only those, unless the weights leave out other samples (then it packs again)"
                    : $"packed {segment.Source}: not cached for these settings; will pack again";
        }
    }

    /// <summary>The packed-stage key of each source in a manifest's stages (none when there is no readable manifest).</summary>
    private static List<(string Source, string Key)> PackedKeys(string? manifestPath)
    {
        if (manifestPath is null || !File.Exists(manifestPath))
        {
            return [];
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            if (!document.RootElement.TryGetProperty("stages", out var stages) || stages.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return [];
            }

            var prefix = Caching.PackedStore.Stage + "/";
            return [.. stages.EnumerateObject()
                .Where(stage => stage.Name.StartsWith(prefix, StringComparison.Ordinal) && stage.Value.ValueKind == System.Text.Json.JsonValueKind.String)
                .Select(stage => (stage.Name[prefix.Length..], stage.Value.GetString()!))];
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            return [];
        }
    }

    /// <summary>One line for the build log.</summary>
    public static string Summary(Recipe recipe, IReadOnlyList<string> reasons) =>
        reasons.Count == 0
            ? $"AgentFlan: recipe '{recipe.Name}': data up to date"
            : $"AgentFlan: recipe '{recipe.Name}': data will be recompiled: {string.Join("; ", reasons.Take(5))}{(reasons.Count > 5 ? $"; and {reasons.Count - 5} more" : string.Empty)}";

    private static void Diff(JsonNode? before, JsonNode? after, string path, List<string> reasons)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Diff(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}", reasons);
            }

            return;
        }

        if (before is JsonArray x && after is JsonArray y && x.Count == y.Count)
        {
            for (int i = 0; i < x.Count; i++)
            {
                Diff(x[i], y[i], $"{path}[{i}]", reasons);
            }

            return;
        }

        var old = before?.ToJsonString(Readable) ?? "(unset)";
        var now = after?.ToJsonString(Readable) ?? "(unset)";
        if (old != now)
        {
            reasons.Add(path == "compiler" ? $"the compiler changed ({old} -> {now})" : $"{path}: {old} -> {now}");
        }
    }
}
