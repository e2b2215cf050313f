using AgentFlan.Conversations;
using AgentFlan.Transforms;

namespace AgentFlan.Compilation;

/// <summary>
/// One source's conversations as <see cref="SourceLoader.ReadRuns"/> gives them. <see cref="Replayable"/>: served by
/// the read stage into a spool that replays it, so the run may be left unread.
/// </summary>
/// <remarks>
/// <see cref="Examine"/> gives each conversation with what a function of its text found, computed off the consuming
/// thread when there are threads for it: on the reader's threads while they map the records of a file read on
/// several, else on a thread that reads the run a few batches ahead (<see cref="Threading.ReadAhead"/>). The consumer
/// — the plan's first pass, which must take conversations in order — is then left with the bookkeeping, and the
/// per-conversation work (duplicate keys, contamination) grows with the threads instead of waiting for one.
/// </remarks>
public sealed class SourceRun
{
    private readonly Func<Func<Conversation, ConversationExamination>?, IEnumerable<(Conversation Conversation, ConversationExamination? Examination)>> _read;

    /// <summary>A run of <paramref name="conversations"/>, examined beside its consumer when <paramref name="threads"/> is above 1.</summary>
    public SourceRun(string source, IEnumerable<Conversation> conversations, bool replayable, int threads = 1)
        : this(source, replayable, examine => Examined(conversations, examine, threads))
    {
        ArgumentNullException.ThrowIfNull(conversations);
    }

    /// <param name="read">The conversations, each with <c>examine</c>'s result (null when not given), computed wherever the source makes them.</param>
    internal SourceRun(string source, bool replayable, Func<Func<Conversation, ConversationExamination>?, IEnumerable<(Conversation, ConversationExamination?)>> read)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(read);
        Source = source;
        Replayable = replayable;
        _read = read;
    }

    public string Source { get; }

    public bool Replayable { get; }

    /// <summary>The run's conversations, in order.</summary>
    public IEnumerable<Conversation> Conversations => _read(null).Select(item => item.Conversation);

    /// <summary>The run's conversations, in order, each with <paramref name="examine"/>'s result (null if none was asked for), which must be safe to call from several threads.</summary>
    public IEnumerable<(Conversation Conversation, ConversationExamination? Examination)> Examine(Func<Conversation, ConversationExamination>? examine) => _read(examine);

    private static IEnumerable<(Conversation, ConversationExamination?)> Examined(IEnumerable<Conversation> conversations, Func<Conversation, ConversationExamination>? examine, int threads)
    {
        var examined = conversations.Select(c => (c, examine is null ? (ConversationExamination?)null : examine(c)));
        return threads > 1 && examine is not null ? Threading.ReadAhead.Of(examined, batchSize: 64) : examined;
    }
}
