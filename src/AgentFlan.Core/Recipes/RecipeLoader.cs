using AgentFlan.Diagnostics;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Training;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>
/// Reads and validates a recipe: <c>extends</c> resolved, overrides applied, every value typed and
/// range-checked, every file resolved against the recipe's folder. All problems are collected (file, line,
/// column, code) before the caller decides to fail: a user fixes a recipe in one round.
/// </summary>
public static class RecipeLoader
{
    /// <summary>Formats a source may name. <c>synthetic</c> is generated; the others are read from files.</summary>
    public static IReadOnlyList<string> SourceFormats { get; } =
        ["synthetic", "agentflan", "agentinstruct", "toolbench", "toolllama", "glaive", "sharegpt", "openai"];

    public static RecipeLoadResult Load(string path, string? overrides = null)
    {
        var diagnostics = new List<Diagnostic>();
        var parsed = RecipeOverride.Parse(overrides, diagnostics);
        var result = Load(path, parsed);
        return diagnostics.Count == 0 ? result : new RecipeLoadResult(null, [.. diagnostics, .. result.Diagnostics]);
    }

    public static RecipeLoadResult Load(string path, IReadOnlyList<RecipeOverride> overrides) => Read(path, overrides).Result;

    /// <summary>Also returns every key the reader knows (as schema paths), for the schema consistency test.</summary>
    internal static (RecipeLoadResult Result, IReadOnlySet<string> Keys) Read(string path, IReadOnlyList<RecipeOverride> overrides)
    {
        var file = Path.GetFullPath(path);
        var diagnostics = new List<Diagnostic>();
        var document = RecipeDocument.Load(file, overrides, diagnostics);
        if (document is null)
        {
            return (new RecipeLoadResult(null, diagnostics), new HashSet<string>());
        }

        var context = new RecipeReadContext(document.Files, file, diagnostics);
        var recipe = Read(new YamlMap(document.Root, context, string.Empty), file) with
        {
            Overrides = overrides,
            Files = document.Chain,
        };
        return (new RecipeLoadResult(diagnostics.Any(d => d.IsError) ? null : recipe, diagnostics), context.Keys);
    }

    private static Recipe Read(YamlMap map, string file)
    {
        var directory = Path.GetDirectoryName(file)!;
        map.Has("$schema");
        var recipe = new Recipe
        {
            Name = map.String("name", Path.GetFileName(file).Split('.')[0])!,
            Description = map.String("description"),
            FilePath = file,
            Seed = map.Int("seed", 1234, 0),
            Sources = ReadSources(map, directory),
            Tokenizer = ReadTokenizer(map.Map("tokenizer"), directory),
            Template = ReadTemplate(map, directory),
            Alignment = RecipeSections.Alignment(map.Map("alignment")),
            Capabilities = RecipeSections.Capabilities(map.Map("capabilities")),
            Negatives = RecipeSections.Negatives(map.Map("negatives")),
            Mixing = RecipeSections.Mixing(map.Map("mixing")),
            Masking = RecipeSections.Masking(map.Map("masking")),
            HeldOut = RecipeSections.HeldOut(map.Map("held_out")),
            Evaluation = RecipeSections.Evaluation(map.Map("evaluation"), directory),
            Sequence = ReadSequence(map.Map("sequence")),
            Model = RecipeSections.Model(map.Map("model"), directory),
            Training = RecipeSections.Training(map.Map("training")),
        };
        CheckTokenizerFile(map, recipe.Tokenizer, recipe.Template);
        if (recipe.Negatives.Source is { } negatives && recipe.Sources.All(s => s.Name != negatives))
        {
            map.Error(DiagnosticCodes.UnknownName, map.Node, $"'negatives.source' names '{negatives}', which is not one of the recipe's sources.{YamlMap.DidYouMean(negatives, recipe.Sources.Select(s => s.Name))}");
        }

        map.ReportUnknownKeys();
        return recipe;
    }

    private static List<SourceSettings> ReadSources(YamlMap map, string directory)
    {
        var sources = new List<SourceSettings>();
        var list = map.MapList("sources");
        if (list is null || list.Count == 0)
        {
            if (list is not null || !map.Has("sources"))
            {
                map.Error(DiagnosticCodes.MissingKey, map.Node, "'sources' is required: name at least one corpus.");
            }

            return sources;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            var name = item.String("name", required: true) ?? string.Empty;
            if (!item.Has("format"))
            {
                item.Error(DiagnosticCodes.MissingKey, item.Node, $"Source '{name}' needs a 'format': one of {string.Join(", ", SourceFormats)}.");
            }

            // An unknown format is reported once; the checks that depend on the format are then skipped.
            var format = item.Choice("format", string.Empty, SourceFormats);
            var synthetic = format == "synthetic";
            var count = item.Int("count", synthetic ? 200 : 0, 0);
            string? path = null;
            if (format.Length == 0)
            {
                item.Has("path");
                item.Has("origin");
            }
            else if (!synthetic)
            {
                path = ResolveSourcePath(item, name, directory);
            }
            else
            {
                if (item.Has("path") || item.Has("origin"))
                {
                    item.Error(DiagnosticCodes.UnknownKey, item.Node, $"Source '{name}' is synthetic: it is generated, so 'path' and 'origin' do not apply.");
                }

                if (count == 0)
                {
                    item.Error(DiagnosticCodes.OutOfRange, item.Node, $"Source '{name}' generates no conversation: set 'count' above 0.");
                }
            }

            if (name.Length > 0 && !names.Add(name))
            {
                item.Error(DiagnosticCodes.DuplicateKey, item.Node, $"Two sources are named '{name}'; source names must be unique.");
            }

            var options = ReadOptions(item.Map("options"));
            if (synthetic)
            {
                CheckKindMix(item, name, options);
            }

            sources.Add(new SourceSettings
            {
                Name = name,
                Format = format,
                Path = path,
                Count = count,
                Seed = item.OptionalInt("seed", 0),
                Weight = item.Double("weight", 1.0, 0, 1000),
                Tolerance = item.Double("tolerance", 0.05, 0, 1),
                Options = options,
            });
            item.ReportUnknownKeys();
        }

        return sources;
    }

    internal static string? ResolveSourcePath(YamlMap item, string name, string directory)
    {
        var origin = item.String("origin");
        var relative = item.String("path", required: true);
        if (relative is null)
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(directory, relative));
        var exists = relative.Contains('*', StringComparison.Ordinal)
            ? SourcePaths.Expand(path).Count > 0
            : File.Exists(path) || Directory.Exists(path);
        if (!exists)
        {
            var where = origin is null ? string.Empty : $" It comes from: {origin}.";
            item.Error(DiagnosticCodes.ReferencedFileMissing, item.Node, $"Source '{name}': '{relative}' does not exist (resolved to '{path}').{where}");
        }

        return path;
    }

    /// <summary>A synthetic source's options are its kind mix: known kind names with weights of 0 or more, not all 0.</summary>
    private static void CheckKindMix(YamlMap item, string name, SortedDictionary<string, string> options)
    {
        var kinds = Compilation.SyntheticSource.KindNames.Keys.ToList();
        foreach (var (key, value) in options)
        {
            if (!kinds.Contains(key))
            {
                item.Error(DiagnosticCodes.UnknownKey, item.Node, $"Source '{name}': option '{key}' is not a synthetic kind; kinds are {string.Join(", ", kinds)}.{YamlMap.DidYouMean(key, kinds)}");
            }
            else if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight) || weight < 0 || !double.IsFinite(weight))
            {
                item.Error(DiagnosticCodes.OutOfRange, item.Node, $"Source '{name}': the weight of kind '{key}' must be a number of 0 or more, not '{value}'.");
            }
        }

        var valid = options
            .Where(o => kinds.Contains(o.Key) && double.TryParse(o.Value, System.Globalization.CultureInfo.InvariantCulture, out var w) && w >= 0)
            .ToDictionary();
        if (valid.Count > 0 && Compilation.SyntheticSource.KindMix(valid)!.Values.All(w => w == 0))
        {
            item.Error(DiagnosticCodes.OutOfRange, item.Node, $"Source '{name}': every kind has weight 0, so nothing can be generated.");
        }
    }

    private static SortedDictionary<string, string> ReadOptions(YamlMap? map)
    {
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (map is null)
        {
            return options;
        }

        foreach (var (key, value) in ((YamlMappingNode)map.Node).Children)
        {
            if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
            {
                options[k] = v;
            }
            else
            {
                map.Error(DiagnosticCodes.WrongType, value, "Each source option must be a single 'key: value'.");
            }
        }

        return options;
    }

    /// <summary>
    /// A tokenizer file is loaded once at validation, so a broken one, or one lacking the template's special
    /// tokens, fails here, located at the recipe's tokenizer section. Built-in encodings render markers as text.
    /// </summary>
    private static void CheckTokenizerFile(YamlMap map, TokenizerSettings settings, string template)
    {
        if (settings.Path is null || !File.Exists(settings.Path) || map.Map("tokenizer") is not { } section)
        {
            return;
        }

        IReadOnlyList<string> special = [];
        try
        {
            special = ChatTemplates.Get(template).SpecialTokens;
        }
        catch (DiagnosticException)
        {
            // A broken template file was reported where the template was read.
        }

        foreach (var problem in TokenizerLoader.Validate(settings, special))
        {
            section.Context.Report(problem.Code, problem.Severity, section.Node, problem.Message);
        }
    }

    private static TokenizerSettings ReadTokenizer(YamlMap? map, string directory)
    {
        if (map is null)
        {
            return new TokenizerSettings();
        }

        var kind = map.Choice("kind", "tiktoken", ["tiktoken", "sentencepiece", "huggingface"]);
        var encoding = map.Choice("encoding", "gpt2", TokenizerLoader.BuiltInEncodings);
        string? path = null;
        if (kind != "tiktoken")
        {
            path = map.String("path", required: true);
            if (path is not null)
            {
                path = Path.GetFullPath(Path.Combine(directory, path));
                if (!File.Exists(path))
                {
                    map.Error(DiagnosticCodes.ReferencedFileMissing, map.Node, $"'tokenizer.path' does not exist (resolved to '{path}').");
                }
            }
        }

        map.ReportUnknownKeys();
        var settings = new TokenizerSettings { Kind = kind, Encoding = encoding, Path = path };
        return settings;
    }

    private static string ReadTemplate(YamlMap map, string directory)
    {
        if (map.Map("template_file") is not null)
        {
            map.Error(DiagnosticCodes.WrongType, map.Node, "'template_file' must be a path.");
        }

        var file = map.String("template_file");
        if (file is not null)
        {
            var path = Path.GetFullPath(Path.Combine(directory, file));
            if (!File.Exists(path))
            {
                map.Error(DiagnosticCodes.ReferencedFileMissing, map.Node, $"'template_file' does not exist (resolved to '{path}').");
            }
            else
            {
                ChatTemplateFile.Load(path, map.Context.Diagnostics);
            }

            if (map.Has("template"))
            {
                map.Error(DiagnosticCodes.DuplicateKey, map.Node, "Set 'template' (a built-in) or 'template_file', not both.");
            }

            return path;
        }

        return map.Choice("template", "agentflan", ChatTemplates.Names);
    }

    private static SequenceSettings ReadSequence(YamlMap? map)
    {
        if (map is null)
        {
            return new SequenceSettings();
        }

        var settings = new SequenceSettings
        {
            Length = map.Int("length", 512, 8, 1 << 20),
            Packing = map.Bool("packing", true),
            OverLength = Enum.Parse<OverLengthPolicy>(map.Choice("over_length", "truncate", ["truncate", "drop", "error"]), ignoreCase: true),
            Truncation = map.Choice("truncation", "right", ["right", "left"]),
            CutToolCalls = map.Bool("cut_tool_calls", false),
        };
        map.ReportUnknownKeys();
        return settings;
    }
}
