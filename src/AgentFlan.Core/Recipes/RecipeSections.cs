using AgentFlan.Diagnostics;
using AgentFlan.Training;

namespace AgentFlan.Recipes;

/// <summary>
/// Readers for the recipe's sections. A section whose feature this version does not apply yet is still
/// fully validated, and a recipe that sets it gets warning AFB0010 saying so: never a silent no-op.
/// </summary>
internal static class RecipeSections
{
    public static AlignmentSettings Alignment(YamlMap? map)
    {
        var d = new AlignmentSettings();
        if (map is null)
        {
            return d;
        }

        var settings = new AlignmentSettings
        {
            ReactFraction = map.Double("react_fraction", d.ReactFraction, 0, 1),
            FormatFollowingCount = map.Int("format_following_count", d.FormatFollowingCount, 0),
            FormatFollowingFormats = map.Choices("format_following_formats", d.FormatFollowingFormats, ["react", "json"]),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    public static CapabilitySettings Capabilities(YamlMap? map)
    {
        var d = new CapabilitySettings();
        if (map is null)
        {
            return d;
        }

        var settings = new CapabilitySettings
        {
            Policy = map.Choice("policy", d.Policy, ["segment", "sample"]),
            Reasoning = map.Double("reasoning", d.Reasoning, 0, 1),
            Retrieval = map.Double("retrieval", d.Retrieval, 0, 1),
            Understanding = map.Double("understanding", d.Understanding, 0, 1),
            InstructionFollowing = map.Double("instruction_following", d.InstructionFollowing, 0, 1),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    public static NegativeSettings Negatives(YamlMap? map)
    {
        var d = new NegativeSettings();
        if (map is null)
        {
            return d;
        }

        var settings = new NegativeSettings
        {
            Count = map.Int("count", d.Count, 0),
            Ratio = map.Double("ratio", d.Ratio, 0, 10),
            Kinds = map.Choices("kinds", d.Kinds, ["no_tools", "irrelevant_tools"]),
            ToolsPerSample = map.Int("tools_per_sample", d.ToolsPerSample, 1, 64),
            Source = map.String("source"),
        };
        if (settings.Count > 0 && settings.Ratio > 0)
        {
            map.Error(DiagnosticCodes.OutOfRange, map.Node, "'negatives' sets both 'count' and 'ratio'; use one of them.");
        }

        map.ReportUnknownKeys();
        return settings;
    }

    public static MixingSettings Mixing(YamlMap? map)
    {
        var d = new MixingSettings();
        if (map is null)
        {
            return d;
        }

        var settings = new MixingSettings
        {
            GeneralRatio = map.Double("general_ratio", d.GeneralRatio, 0, 100),
            MaxSamples = map.Int("max_samples", 0, 0),
            MaxTokens = map.Int("max_tokens", 0, 0),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    public static MaskingSettings Masking(YamlMap? map)
    {
        var d = new MaskingSettings();
        if (map is null)
        {
            return d;
        }

        var policy = map.Choice("policy", "all_assistant", ["all_assistant", "last_assistant"]);
        var settings = new MaskingSettings
        {
            Policy = policy == "last_assistant" ? MaskingPolicy.LastAssistant : MaskingPolicy.AllAssistant,
            EndOfTurn = map.Bool("end_of_turn", d.EndOfTurn),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    public static HeldOutSettings HeldOut(YamlMap? map)
    {
        if (map is null)
        {
            return new HeldOutSettings();
        }

        var d = new HeldOutSettings();
        var settings = new HeldOutSettings
        {
            Fraction = map.Double("fraction", 0, 0, 0.9),
            DecontaminationNgram = map.Int("decontamination_ngram", d.DecontaminationNgram, 0, 64),
            DecontaminationThreshold = map.Double("decontamination_threshold", d.DecontaminationThreshold, 0, 1),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    public static EvaluationSettings Evaluation(YamlMap? map, string directory)
    {
        var d = new EvaluationSettings();
        if (map is null)
        {
            return d;
        }

        var settings = new EvaluationSettings
        {
            Suites = map.Choices("suites", d.Suites, ["hallucination", "tool_use", "loss"]),
            Samples = map.Int("samples", d.Samples, 1),
            MaxNewTokens = map.Int("max_new_tokens", d.MaxNewTokens, 1, 8192),
            Sources = EvaluationSources(map, directory),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    /// <summary>
    /// <c>evaluation.sources</c>: the recipe's source syntax (name, format, path, origin) for files whose
    /// conversations become evaluation cases. Only file formats: the generator's held-out split is always used.
    /// </summary>
    private static List<SourceSettings> EvaluationSources(YamlMap map, string directory)
    {
        var sources = new List<SourceSettings>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in map.MapList("sources") ?? [])
        {
            var name = item.String("name", required: true) ?? string.Empty;
            if (!item.Has("format"))
            {
                item.Error(DiagnosticCodes.MissingKey, item.Node, $"Evaluation source '{name}' needs a 'format': one of {string.Join(", ", Readers.SourceReaders.Formats)}.");
            }

            var format = item.Choice("format", string.Empty, Readers.SourceReaders.Formats);
            var path = RecipeLoader.ResolveSourcePath(item, name, directory);
            if (name.Length > 0 && !names.Add(name))
            {
                item.Error(DiagnosticCodes.DuplicateKey, item.Node, $"Two evaluation sources are named '{name}'; names must be unique.");
            }

            if (name == AgentFlan.Evaluation.EvaluationSuites.HeldOutSource)
            {
                item.Error(DiagnosticCodes.OutOfRange, item.Node, $"'{name}' names the cases of the recipe's own held-out conversations (held_out.fraction); give this evaluation source another name.");
            }

            item.ReportUnknownKeys();
            sources.Add(new SourceSettings { Name = name, Format = format, Path = path });
        }

        return sources;
    }

    public static ModelSettings Model(YamlMap? map, string directory)
    {
        var d = new ModelSettings();
        if (map is null)
        {
            return d;
        }

        var kind = map.Choice("kind", d.Kind, ["tiny", "huggingface"]);
        string? path = null;
        if (kind == "huggingface")
        {
            path = map.String("path", required: true);
            if (path is not null)
            {
                path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, path));
                if (!Directory.Exists(path))
                {
                    map.Error(DiagnosticCodes.ReferencedFileMissing, map.Node, $"'model.path' must be a local Hugging Face checkpoint folder; '{path}' does not exist.");
                }
            }
        }

        var model = new ModelSettings
        {
            Kind = kind,
            Path = path,
            Layers = map.Int("layers", d.Layers, 1, 256),
            Dim = map.Int("dim", d.Dim, 8, 65536),
            Heads = map.Int("heads", d.Heads, 1, 1024),
            KvHeads = map.Int("kv_heads", d.KvHeads, 1, 1024),
            HiddenDim = map.Int("hidden_dim", d.HiddenDim, 0),
            RopeTheta = map.Double("rope_theta", d.RopeTheta, 1),
            NormEps = map.Double("norm_eps", d.NormEps, 0, 1),
            TieEmbeddings = map.Bool("tie_embeddings", d.TieEmbeddings),
            // A loaded checkpoint's embedding rows are the tokenizer's ids, so its vocabulary is always full.
            Vocabulary = map.Choice("vocabulary", kind == "huggingface" ? "full" : d.Vocabulary, ["compact", "full"]),
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

    public static TrainingSettings Training(YamlMap? map)
    {
        var d = new TrainingSettings();
        if (map is null)
        {
            return d;
        }

        var settings = new TrainingSettings
        {
            Device = map.Choice("device", d.Device, ["cpu", "cuda"]),
            Steps = map.Int("steps", d.Steps, 1),
            Epochs = map.Double("epochs", 0, 0, 1000),
            Method = map.Choice("method", d.Method, ["full", "lora"]),
            Lora = Lora(map.Map("lora")),
            BatchSize = map.Int("batch_size", d.BatchSize, 1),
            GradientAccumulation = map.Int("gradient_accumulation", d.GradientAccumulation, 1),
            LearningRate = map.Double("learning_rate", d.LearningRate, 0, 10),
            MinLearningRate = map.Double("min_learning_rate", d.MinLearningRate, 0, 10),
            WarmupSteps = map.Int("warmup_steps", d.WarmupSteps, 0),
            Schedule = map.Choice("schedule", d.Schedule, ["cosine", "constant"]),
            WeightDecay = map.Double("weight_decay", d.WeightDecay, 0, 10),
            GradientClip = map.Double("gradient_clip", d.GradientClip, 0),
            LogEvery = map.Int("log_every", d.LogEvery, 1),
            Seed = map.OptionalInt("seed", 0),
        };
        map.ReportUnknownKeys();
        return settings;
    }

    private static LoraSettings Lora(YamlMap? map)
    {
        var d = new LoraSettings();
        if (map is null)
        {
            return d;
        }

        var lora = new LoraSettings
        {
            Rank = map.Int("rank", d.Rank, 1, 4096),
            Alpha = map.Double("alpha", d.Alpha, 0),
            Dropout = map.Double("dropout", d.Dropout, 0, 1),
            Targets = map.Choices("targets", d.Targets, ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]),
        };
        map.ReportUnknownKeys();
        return lora;
    }

    private static void NotApplied(YamlMap map, string section, string why)
    {
        map.ReportUnknownKeys();
        map.Warning(DiagnosticCodes.NotYetApplied, map.Node, $"'{section}' is validated but not applied by this version: {why}.");
    }
}
