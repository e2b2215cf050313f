using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Templates;
using AgentFlan.Transforms;

namespace AgentFlan.Caching;

/// <summary>What a samples entry records besides its documents: the inputs' statistics, report examples and quarantined records.</summary>
public sealed record StoredSummary
{
    public IReadOnlyList<SourceStatistics> Sources { get; init; } = [];

    public TransformStatistics Transforms { get; init; } = new();

    /// <summary>Conversations the report renders, with the form the transforms gave each.</summary>
    public IReadOnlyList<Conversation> Examples { get; init; } = [];

    public IReadOnlyDictionary<string, RenderForm> ExampleForms { get; init; } = new Dictionary<string, RenderForm>();

    /// <summary>The conversations <c>held_out.fraction</c> kept out of training, for the evaluation's file.</summary>
    public IReadOnlyList<Conversation> HeldOut { get; init; } = [];

    /// <summary>The tokenizer the documents were tokenized with (the key covers its content), so a reuse starts packing before the tokenizer is loaded; null in entries written before it was recorded.</summary>
    public TokenizerInfo? Tokenizer { get; init; }

    /// <summary>The quarantine file's text per source that rejected records.</summary>
    public IReadOnlyDictionary<string, string> Quarantine { get; init; } = new Dictionary<string, string>();
}
