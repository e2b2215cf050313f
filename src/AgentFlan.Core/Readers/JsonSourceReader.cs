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

    public IEnumerable<ReadResult> Read(string path, string sourceName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sourceName);
        var files = SourceFiles.Enumerate(path);
        return Impl(files, sourceName, cancellationToken);

        IEnumerable<ReadResult> Impl(IEnumerable<string> files, string sourceName, CancellationToken cancellationToken)
        {
            var toolSpecs = new ToolSpecCache();
            foreach (var file in files)
            {
                using var stream = SourceFiles.Open(file);
                foreach (var record in JsonRecordScanner.Scan(stream, cancellationToken))
                {
                    var where = new Provenance(sourceName, file, record.Line, record.Index);
                    yield return record.Document is null
                        ? new RejectedRecord(where, record.FailureReason!, record.FailureCode!, record.RawText())
                        : Map(record.Document.RootElement, new RecordContext(where, record.RawText, toolSpecs));
                }
            }
        }
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
