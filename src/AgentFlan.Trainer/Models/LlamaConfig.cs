using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Models;

/// <summary>
/// The decoder's shape, with Hugging Face <c>LlamaConfig</c> field names so that the checkpoint's
/// config.json reads like one (hidden_size, num_hidden_layers, …). Fields that only describe the file
/// (model_type, architectures, hidden_act, torch_dtype) are fixed: this decoder is always a SiLU Llama.
/// </summary>
public sealed record LlamaConfig
{
    public required int VocabSize { get; init; }

    public required int HiddenSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required int NumHiddenLayers { get; init; }

    public required int NumAttentionHeads { get; init; }

    public required int NumKeyValueHeads { get; init; }

    public required int MaxPositionEmbeddings { get; init; }

    public double RopeTheta { get; init; } = 10000;

    public double RmsNormEps { get; init; } = 1e-5;

    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>The end-of-text id in the model's own (possibly compact) id space.</summary>
    public int? EosTokenId { get; init; }

    public string ModelType => "llama";

    public IReadOnlyList<string> Architectures => ["LlamaForCausalLM"];

    public string HiddenAct => "silu";

    public string TorchDtype => "float32";

    [JsonIgnore]
    public int HeadDim => HiddenSize / NumAttentionHeads;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The Llama feed-forward rule: two thirds of 4·dim, rounded up to a multiple of 32.</summary>
    public static int LlamaHiddenSize(int dim) => (((8 * dim / 3) + 31) / 32) * 32;

    public static LlamaConfig FromSettings(ModelSettings model, int vocabSize, int maxPositions, int? eosTokenId) => new()
    {
        VocabSize = vocabSize,
        HiddenSize = model.Dim,
        IntermediateSize = model.HiddenDim > 0 ? model.HiddenDim : LlamaHiddenSize(model.Dim),
        NumHiddenLayers = model.Layers,
        NumAttentionHeads = model.Heads,
        NumKeyValueHeads = model.KvHeads,
        MaxPositionEmbeddings = maxPositions,
        RopeTheta = model.RopeTheta,
        RmsNormEps = model.NormEps,
        TieWordEmbeddings = model.TieEmbeddings,
        EosTokenId = eosTokenId,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static LlamaConfig FromJson(string json) =>
        JsonSerializer.Deserialize<LlamaConfig>(json, JsonOptions) ?? throw new JsonException("config.json is empty.");
}
