using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.Readers.Json;

namespace AgentFlan.Readers;

/// <summary>
/// The reader every format shares: files from <see cref="SourceFiles"/>, records from
/// <see cref="JsonRecordScanner"/>, conversations from the format's <see cref="RecordMapper"/>. Whatever a
/// mapper throws becomes a located rejection; only cancellation and an unopenable file escape.
/// </summary>
internal sealed class JsonSourceReader(string format, RecordMapper mapper) : ISourceReader
{
    public string Format { get; } = format;

    public IEnumerable<ReadResult> Read(string path, string sourceName, CancellationToken cancellationToken) =>
        Read(path, sourceName, threads: 1, cancellationToken);

    /// <param name="threads">
    /// Above 1, a JSON Lines file's lines are parsed and mapped on that many threads (<see cref="ParallelJsonLines"/>):
    /// the same results in the same order.
    /// </param>
    public IEnumerable<ReadResult> Read(string path, string sourceName, int threads, CancellationToken cancellationToken) =>
        Read(path, sourceName, threads, Same, ParallelJsonLines.DefaultBlockBytes, cancellationToken);

    /// <inheritdoc/>
    public IEnumerable<T> Read<T>(string path, string sourceName, int threads, Func<ReadResult, T> then, CancellationToken cancellationToken)
        where T : class =>
        Read(path, sourceName, threads, then, ParallelJsonLines.DefaultBlockBytes, cancellationToken);

    /// <param name="blockBytes">The parallel reader's block size (tests make it small).</param>
    internal IEnumerable<ReadResult> Read(string path, string sourceName, int threads, int blockBytes, CancellationToken cancellationToken) =>
        Read(path, sourceName, threads, Same, blockBytes, cancellationToken);

    private static ReadResult Same(ReadResult result) => result;

    private IEnumerable<T> Read<T>(string path, string sourceName, int threads, Func<ReadResult, T> then, int blockBytes, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(then);
        var files = SourceFiles.Enumerate(path);
        return Impl(files, sourceName, cancellationToken);

        IEnumerable<T> Impl(IEnumerable<string> files, string sourceName, CancellationToken cancellationToken)
        {
            var toolSpecs = new ToolSpecCache();
            foreach (var file in files)
            {
                using var stream = SourceFiles.Open(file);
                IEnumerable<T> Sequential(Stream rest, int line, bool mayBeArray) =>
                    (mayBeArray ? JsonRecordScanner.Scan(rest, cancellationToken) : JsonRecordScanner.ScanLines(rest, line, cancellationToken))
                        .Select(record => then(Result(record, file, sourceName, toolSpecs)));

                T? Line(ReadOnlyMemory<byte> bytes, int line)
                {
                    using var document = JsonRecordScanner.ParseLine(bytes);
                    return document is null
                        ? null
                        : then(Map(document.RootElement, new RecordContext(new Provenance(sourceName, file, line, -1), () => ScannedRecord.Decode(bytes.Span), toolSpecs)));
                }

                var results = threads > 1
                    ? ParallelJsonLines.Read(stream, threads, Line, Sequential, blockBytes, cancellationToken)
                    : Sequential(stream, 1, mayBeArray: true);
                foreach (var result in results)
                {
                    yield return result;
                }
            }
        }
    }

    private ReadResult Result(ScannedRecord record, string file, string sourceName, ToolSpecCache toolSpecs)
    {
        var where = new Provenance(sourceName, file, record.Line, record.Index);
        return record.Document is null
            ? new RejectedRecord(where, record.FailureReason!, record.FailureCode!, record.RawText())
            : Map(record.Document.RootElement, new RecordContext(where, record.RawText, toolSpecs));
    }

    private ReadResult Map(JsonElement root, RecordContext context)
    {
        try
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return context.Reject(ReaderCodes.UnexpectedShape, $"the record is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            return context.Accept(mapper(root, context));
        }
        catch (RecordRejectedException e)
        {
            return context.Reject(e.Code, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return context.Reject(ReaderCodes.ReaderFault, $"{Format} reader failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
