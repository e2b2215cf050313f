namespace AgentFlan.Readers;

/// <summary>
/// Reads one source format into the canonical conversation model. Readers stream: memory stays bounded by
/// the largest single record, whatever the file size. A bad record never throws and is never dropped in
/// silence: it comes back as a <see cref="RejectedRecord"/> with its location, a reason and a code.
/// Only a file that cannot be opened at all throws (a <c>DiagnosticException</c> with AFB1001).
/// </summary>
public interface ISourceReader
{
    /// <summary>The format name recipes use (<c>sharegpt</c>, <c>toolbench</c>, …).</summary>
    string Format { get; }

    /// <summary>
    /// Reads <paramref name="path"/>: a file (JSON array or JSON Lines, optionally gzip-compressed) or a
    /// folder, whose <c>.json</c>/<c>.jsonl</c> files (and their <c>.gz</c> forms) are read in ordinal order.
    /// </summary>
    IEnumerable<ReadResult> Read(string path, string sourceName, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <paramref name="path"/> as <see cref="Read(string, string, CancellationToken)"/> does, parsing on up to
    /// <paramref name="threads"/> threads where the format allows: the same results in the same order.
    /// </summary>
    IEnumerable<ReadResult> Read(string path, string sourceName, int threads, CancellationToken cancellationToken) =>
        Read(path, sourceName, cancellationToken);

    /// <summary>
    /// Reads <paramref name="path"/> as <see cref="Read(string, string, int, CancellationToken)"/> does, passing each
    /// result through <paramref name="then"/> where it is made: on the reader's threads when it parses on several
    /// (concurrently, so <paramref name="then"/> must be safe to call from several threads), else in turn.
    /// </summary>
    IEnumerable<T> Read<T>(string path, string sourceName, int threads, Func<ReadResult, T> then, CancellationToken cancellationToken)
        where T : class =>
        Read(path, sourceName, threads, cancellationToken).Select(then);
}
