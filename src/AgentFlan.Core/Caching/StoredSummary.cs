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

    /// <summary>
    /// The documents' segments in order (each file source's conversations, then the built samples, whose count is
    /// the rest): a compile packs each into shards of its own and stores it in the packed stage when it has an identity.
    /// </summary>
    public IReadOnlyList<StoredSegment> Segments { get; init; } = [];

    /// <summary>The report-example candidates each segment offered (one list per segment, the built samples' last), with the form the transforms gave each in <see cref="ExampleForms"/>.</summary>
    public IReadOnlyList<IReadOnlyList<Conversation>> Examples { get; init; } = [];

    public IReadOnlyDictionary<string, RenderForm> ExampleForms { get; init; } = new Dictionary<string, RenderForm>();

    /// <summary>The conversations <c>held_out.fraction</c> kept out of training, for the evaluation's file.</summary>
    public IReadOnlyList<Conversation> HeldOut { get; init; } = [];

    /// <summary>The tokenizer the documents were tokenized with (the key covers its content), so a reuse starts packing before the tokenizer is loaded; null in entries written before it was recorded.</summary>
    public TokenizerInfo? Tokenizer { get; init; }

    /// <summary>The quarantine file's text per source that rejected records.</summary>
    public IReadOnlyDictionary<string, string> Quarantine { get; init; } = new Dictionary<string, string>();
}

/// <summary>A segment of the stored documents: <paramref name="Documents"/> of source <paramref name="Source"/>, and its packed-stage identity (null: never stored there).</summary>
public sealed record StoredSegment(string Source, long Documents, string? Identity);
