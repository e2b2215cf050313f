using AgentFlan.Diagnostics;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>
/// Reads and validates a recipe. All problems are collected (file, line, column, code) before the caller
/// decides to fail: a user fixes a recipe in one round, not one error per build.
/// </summary>
public static class RecipeLoader
{
    /// <summary>Formats a source may name. <c>synthetic</c> is generated; the others are read from files.</summary>
    public static IReadOnlyList<string> SourceFormats { get; } =
        ["synthetic", "agentflan", "agentinstruct", "toolbench", "toolllama", "glaive", "sharegpt", "openai"];

    public static RecipeLoadResult Load(string path)
    {
        var file = Path.GetFullPath(path);
        var diagnostics = new List<Diagnostic>();
        if (!File.Exists(file))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RecipeNotFound, $"Recipe '{file}' does not exist.", file));
            return new RecipeLoadResult(null, diagnostics);
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, "A recipe must be a YAML mapping (key: value lines).", file, 1, 1));
                return new RecipeLoadResult(null, diagnostics);
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            var code = e.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ? DiagnosticCodes.DuplicateKey : DiagnosticCodes.YamlSyntax;
            var message = (e.InnerException?.Message ?? e.Message).Trim();
            diagnostics.Add(Diagnostic.Error(code, message, file, (int)e.Start.Line, (int)e.Start.Column));
            return new RecipeLoadResult(null, diagnostics);
        }

        var map = new YamlMap(root, file, string.Empty, diagnostics);
        var recipe = Read(map, file);
        return new RecipeLoadResult(diagnostics.Any(d => d.IsError) ? null : recipe, diagnostics);
    }

    private static Recipe Read(YamlMap map, string file)
    {
        var name = map.String("name", Path.GetFileName(file).Split('.')[0])!;
        var description = map.String("description");
        var seed = map.Int("seed", 1234, 0);
        var sources = ReadSources(map, Path.GetDirectoryName(file)!);
        var tokenizer = ReadTokenizer(map.Map("tokenizer"));
        var template = map.Choice("template", "agentflan", ChatTemplates.Names);
        var sequence = ReadSequence(map.Map("sequence"));
        var model = ReadModel(map.Map("model"));
        var training = ReadTraining(map.Map("training"));
        map.ReportUnknownKeys();
        return new Recipe
        {
            Name = name,
            Description = description,
            FilePath = file,
            Seed = seed,
            Sources = sources,
            Tokenizer = tokenizer,
            Template = template,
            Sequence = sequence,
            Model = model,
            Training = training,
        };
    }

    private static List<SourceSettings> ReadSources(YamlMap map, string directory)
    {
        var sources = new List<SourceSettings>();
        var list = map.MapList("sources");
        if (list is null)
        {
            if (!map.Has("sources"))
            {
                map.Error(DiagnosticCodes.MissingKey, map.Node, "'sources' is required: name at least one corpus.");
            }

            return sources;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            var name = item.String("name", required: true) ?? string.Empty;
            var format = item.Choice("format", "synthetic", SourceFormats);
            var count = item.Int("count", format == "synthetic" ? 200 : 0, 0);
            var seed = item.OptionalInt("seed", 0);
            string? path = null;
            if (format == "synthetic")
            {
                if (count == 0)
                {
                    item.Error(DiagnosticCodes.OutOfRange, item.Node, $"Source '{name}' generates no conversation: set 'count' above 0.");
                }
            }
            else
            {
                var relative = item.String("path", required: true);
                if (relative is not null)
                {
                    path = Path.GetFullPath(Path.Combine(directory, relative));
                    if (!File.Exists(path) && !Directory.Exists(path))
                    {
                        item.Error(DiagnosticCodes.ReferencedFileMissing, item.Node, $"Source '{name}': '{relative}' does not exist (resolved to '{path}').");
                    }
                }
            }

            if (name.Length > 0 && !names.Add(name))
            {
                item.Error(DiagnosticCodes.DuplicateKey, item.Node, $"Two sources are named '{name}'; source names must be unique.");
            }

            item.ReportUnknownKeys();
            sources.Add(new SourceSettings { Name = name, Format = format, Path = path, Count = count, Seed = seed });
        }

        if (list.Count == 0)
        {
            map.Error(DiagnosticCodes.MissingKey, map.Node, "'sources' is empty: name at least one corpus.");
        }

        return sources;
    }

    private static TokenizerSettings ReadTokenizer(YamlMap? map)
    {
        if (map is null)
        {
            return new TokenizerSettings();
        }

        var encoding = map.Choice("encoding", "gpt2", TokenizerLoader.BuiltInEncodings);
        map.ReportUnknownKeys();
        return new TokenizerSettings { Encoding = encoding };
    }

    private static SequenceSettings ReadSequence(YamlMap? map)
    {
        if (map is null)
        {
            return new SequenceSettings();
        }

        var length = map.Int("length", 256, 8, 1 << 20);
        var packing = map.Bool("packing", true);
        var overLength = map.Choice("over_length", "truncate", ["truncate", "drop", "error"]);
        map.ReportUnknownKeys();
        return new SequenceSettings
        {
            Length = length,
            Packing = packing,
            OverLength = Enum.Parse<OverLengthPolicy>(overLength, ignoreCase: true),
        };
    }

    private static ModelSettings ReadModel(YamlMap? map)
    {
        var defaults = new ModelSettings();
        if (map is null)
        {
            return defaults;
        }

        var model = new ModelSettings
        {
            Kind = map.Choice("kind", defaults.Kind, ["tiny", "huggingface"]),
            Path = map.String("path"),
            Layers = map.Int("layers", defaults.Layers, 1, 256),
            Dim = map.Int("dim", defaults.Dim, 8, 65536),
            Heads = map.Int("heads", defaults.Heads, 1, 1024),
            KvHeads = map.Int("kv_heads", defaults.KvHeads, 1, 1024),
            HiddenDim = map.Int("hidden_dim", defaults.HiddenDim, 0),
            RopeTheta = map.Double("rope_theta", defaults.RopeTheta, 1),
            NormEps = map.Double("norm_eps", defaults.NormEps, 0, 1),
            TieEmbeddings = map.Bool("tie_embeddings", defaults.TieEmbeddings),
            Vocabulary = map.Choice("vocabulary", defaults.Vocabulary, ["compact", "full"]),
        };
        if (model.Dim % model.Heads != 0)
        {
            map.Error(DiagnosticCodes.OutOfRange, map.Node, $"'model.dim' ({model.Dim}) must be a multiple of 'model.heads' ({model.Heads}).");
        }

        if (model.Heads % model.KvHeads != 0)
        {
            map.Error(DiagnosticCodes.OutOfRange, map.Node, $"'model.heads' ({model.Heads}) must be a multiple of 'model.kv_heads' ({model.KvHeads}).");
        }

        map.ReportUnknownKeys();
        return model;
    }

    private static TrainingSettings ReadTraining(YamlMap? map)
    {
        var defaults = new TrainingSettings();
        if (map is null)
        {
            return defaults;
        }

        var training = new TrainingSettings
        {
            Device = map.Choice("device", defaults.Device, ["cpu", "cuda"]),
            Steps = map.Int("steps", defaults.Steps, 1),
            BatchSize = map.Int("batch_size", defaults.BatchSize, 1),
            GradientAccumulation = map.Int("gradient_accumulation", defaults.GradientAccumulation, 1),
            LearningRate = map.Double("learning_rate", defaults.LearningRate, 0, 10),
            MinLearningRate = map.Double("min_learning_rate", defaults.MinLearningRate, 0, 10),
            WarmupSteps = map.Int("warmup_steps", defaults.WarmupSteps, 0),
            Schedule = map.Choice("schedule", defaults.Schedule, ["cosine", "constant"]),
            WeightDecay = map.Double("weight_decay", defaults.WeightDecay, 0, 10),
            GradientClip = map.Double("gradient_clip", defaults.GradientClip, 0),
            LogEvery = map.Int("log_every", defaults.LogEvery, 1),
            Seed = map.OptionalInt("seed", 0),
        };
        map.ReportUnknownKeys();
        return training;
    }
}
