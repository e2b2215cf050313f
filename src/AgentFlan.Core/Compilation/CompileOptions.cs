using AgentFlan.Charts;

namespace AgentFlan.Compilation;

/// <summary>How to compile (never what: that is the recipe). None of these change the output bytes.</summary>
public sealed record CompileOptions
{
    /// <summary>Tokenization threads; 0 means every core.</summary>
    public int Threads { get; init; }

    /// <summary>The stage cache folder; null compiles without a cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Tokenizers kept between compiles of one process (the compile server); null loads the tokenizer each time.</summary>
    public Tokenization.TokenizerCache? Tokenizers { get; init; }

    /// <summary>
    /// Bytes of conversations the transforms keep in memory, encoded; a larger corpus is spooled to a temp file next
    /// to the outputs and streamed again for each pass (<see cref="Transforms.ConversationSpool"/>). The same budget
    /// bounds the bases of built samples kept until the end of the last pass (estimated there: they are kept as objects,
    /// <see cref="Transforms.ConversationStash"/>).
    /// </summary>
    public long SpoolBudgetBytes { get; init; } = Transforms.ConversationSpool.DefaultBudgetBytes;

    /// <summary>
    /// Draws the report's charts (AgentFlan.Charts.ScottPlotRenderer in the build and the CLI). Null writes
    /// report.md without charts and says so in it; the shards and manifest are the same either way.
    /// </summary>
    public IChartRenderer? Charts { get; init; }

    /// <summary>Whether a segment may reuse the token files of the rows stage (false after they turned out to hold other samples).</summary>
    internal bool ReuseTokenFiles { get; init; } = true;

    /// <summary>How many more times a compile starts again after a packed entry it was copying turned out damaged.</summary>
    internal int RetriesLeft { get; init; } = 1;

    /// <summary>Warnings of an attempt that started again (a damaged cache entry), reported with the compile's own.</summary>
    internal IReadOnlyList<Diagnostics.Diagnostic> EarlierWarnings { get; init; } = [];
}
