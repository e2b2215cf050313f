using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFlan.Compilation;

/// <summary>
/// The lockfile of a compiled dataset (manifest.json): what went in (hashes), what came out (shards with
/// their hashes), and the statistics. Same inputs give the same bytes: no timestamps, no absolute paths.
/// </summary>
public sealed record DatasetManifest
{
    public int FormatVersion { get; init; } = 1;

    public required string Recipe { get; init; }

    public required string CompilerVersion { get; init; }

    public required int Seed { get; init; }

    /// <summary>Hash of the resolved data-affecting recipe settings.</summary>
    public required string SettingsHash { get; init; }

    /// <summary>Command-line overrides applied on top of the recipe file, as <c>path=value</c>.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>The recipe file and the files it extends, relative to the recipe.</summary>
    public IReadOnlyList<string> RecipeFiles { get; init; } = [];

    /// <summary>Every resolved data setting (what <see cref="SettingsHash"/> hashes): the experiment's lockfile.</summary>
    public System.Text.Json.Nodes.JsonNode? Settings { get; init; }

    /// <summary>The cache key of each pipeline stage this output came from (stage name → key), for <c>explain</c> and audits.</summary>
    public IReadOnlyDictionary<string, string> Stages { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public required TokenizerInfo Tokenizer { get; init; }

    public required string Template { get; init; }

    public required int SequenceLength { get; init; }

    public required IReadOnlyList<ShardInfo> Shards { get; init; }

    public required DatasetStatistics Statistics { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static DatasetManifest Load(string path) =>
        JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), JsonOptions)
        ?? throw new JsonException($"Manifest '{path}' is empty.");
}

/// <summary>A tokenizer's identity: a content hash, not its name. <see cref="EndOfText"/> closes every document.</summary>
public sealed record TokenizerInfo(string Kind, string Name, string Hash, int VocabularySize, int EndOfText);

/// <summary>
/// A shard (<see cref="Shards.ShardFormat"/>): its token file and its mask file (relative to the manifest), each with
/// its SHA-256, and its counts.
/// </summary>
public sealed record ShardInfo(string File, int Rows, long Documents, long Tokens, long SupervisedTokens, string Sha256, string Mask, string MaskSha256);

/// <summary>Counts for the report.</summary>
public sealed record DatasetStatistics
{
    public long Conversations { get; init; }

    public long Documents { get; init; }

    public long Tokens { get; init; }

    public long SupervisedTokens { get; init; }

    public long PaddingTokens { get; init; }

    public long Truncated { get; init; }

    public long Dropped { get; init; }

    /// <summary>Samples left out because no token of theirs is supervised (for example after truncation).</summary>
    public long Unsupervised { get; init; }

    public IReadOnlyList<SourceStatistics> Sources { get; init; } = [];

    /// <summary>Documents written per length bucket: key = the bucket's upper bound in tokens (eighths of the sequence length).</summary>
    public IReadOnlyDictionary<int, long> LengthHistogram { get; init; } = new SortedDictionary<int, long>();

    /// <summary>Truncated and dropped (over-length) samples per source name; sources with neither are left out.</summary>
    public IReadOnlyDictionary<string, Tokenization.OverLengthCounts> OverLengthBySource { get; init; } = new SortedDictionary<string, Tokenization.OverLengthCounts>();

    public IReadOnlyDictionary<string, long> ConversationsByKind { get; init; } = new SortedDictionary<string, long>();

    public IReadOnlyDictionary<string, long> SupervisedTokensByKind { get; init; } = new SortedDictionary<string, long>();

    /// <summary>Requested against achieved supervised tokens per capability, after truncation.</summary>
    public IReadOnlyList<AgentFlan.Transforms.CapabilityStatistics> Capabilities { get; init; } = [];

    /// <summary>What the Agent-FLAN transforms did (deduplication, alignment, built samples, mixing).</summary>
    public AgentFlan.Transforms.TransformStatistics Transforms { get; init; } = new();
}
