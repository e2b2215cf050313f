using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFlan.Trainer.Data;

/// <summary>
/// Maps tokenizer ids to the model's embedding rows. <c>full</c> is the identity over the tokenizer's whole
/// vocabulary. <c>compact</c> keeps only the ids that occur in the training shards (plus end-of-text), in
/// ascending order, so a from-scratch model on a 50k–200k tokenizer gets a few thousand output rows: on a
/// CPU the output layer over a large vocabulary would otherwise dominate every step. The map is saved with
/// the checkpoint (vocab_map.json) so generation can translate the model's ids back.
/// </summary>
public sealed class TokenVocabulary
{
    public const string CompactKind = "compact";
    public const string FullKind = "full";
    public const string FileName = "vocab_map.json";

    private readonly int[]? _modelToTokenizer;
    private readonly int[]? _tokenizerToModel;

    private TokenVocabulary(string kind, int tokenizerSize, int endOfText, int[]? ids)
    {
        Kind = kind;
        TokenizerVocabularySize = tokenizerSize;
        EndOfText = endOfText;
        _modelToTokenizer = ids;
        if (ids is not null)
        {
            _tokenizerToModel = new int[tokenizerSize];
            Array.Fill(_tokenizerToModel, -1);
            for (int i = 0; i < ids.Length; i++)
            {
                _tokenizerToModel[ids[i]] = i;
            }
        }
    }

    public string Kind { get; }

    public int TokenizerVocabularySize { get; }

    /// <summary>The tokenizer's end-of-text id.</summary>
    public int EndOfText { get; }

    /// <summary>Rows of the embedding and output layers.</summary>
    public int Size => _modelToTokenizer?.Length ?? TokenizerVocabularySize;

    public static TokenVocabulary Full(int tokenizerSize, int endOfText)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenizerSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)endOfText, (uint)tokenizerSize, nameof(endOfText));
        return new(FullKind, tokenizerSize, endOfText, null);
    }

    /// <summary>A compact map over <paramref name="tokenizerIds"/> (duplicates allowed) and end-of-text.</summary>
    public static TokenVocabulary Compact(IEnumerable<int> tokenizerIds, int tokenizerSize, int endOfText)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)endOfText, (uint)tokenizerSize, nameof(endOfText));
        var ids = new SortedSet<int>(tokenizerIds) { endOfText };
        if (ids.Min < 0 || ids.Max >= tokenizerSize)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenizerIds), $"Token ids must lie in [0, {tokenizerSize}).");
        }

        return new(CompactKind, tokenizerSize, endOfText, [.. ids]);
    }

    /// <summary>The model row of a tokenizer id; -1 when a compact vocabulary does not contain it.</summary>
    public int ToModel(int tokenizerId)
    {
        if ((uint)tokenizerId >= (uint)TokenizerVocabularySize)
        {
            return -1;
        }

        return _tokenizerToModel is null ? tokenizerId : _tokenizerToModel[tokenizerId];
    }

    public int ToTokenizer(int modelId)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)modelId, (uint)Size, nameof(modelId));
        return _modelToTokenizer is null ? modelId : _modelToTokenizer[modelId];
    }

    public string ToJson() =>
        JsonSerializer.Serialize(new VocabularyMapFile(Kind, TokenizerVocabularySize, EndOfText, Size, _modelToTokenizer), VocabularyMapFile.Options) + "\n";

    public static TokenVocabulary FromJson(string json)
    {
        var file = JsonSerializer.Deserialize<VocabularyMapFile>(json, VocabularyMapFile.Options)
            ?? throw new JsonException($"{FileName} is empty.");
        return file.Kind switch
        {
            FullKind => Full(file.TokenizerVocabularySize, file.EndOfText),
            CompactKind when file.Ids is { } ids => Compact(ids, file.TokenizerVocabularySize, file.EndOfText),
            _ => throw new JsonException($"{FileName}: unknown vocabulary kind '{file.Kind}' or missing ids."),
        };
    }
}

/// <summary>vocab_map.json: <c>ids[m]</c> is the tokenizer id of model row m (absent for <c>full</c>).</summary>
file sealed record VocabularyMapFile(string Kind, int TokenizerVocabularySize, int EndOfText, int ModelVocabularySize, int[]? Ids)
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
