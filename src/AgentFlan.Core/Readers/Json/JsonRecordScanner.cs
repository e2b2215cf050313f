using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentFlan.Readers.Json;

/// <summary>
/// Splits a stream into top-level JSON records without ever holding more than one record: the elements of
/// a top-level array (each with its 0-based index), or the values of a JSON Lines file (usually one per
/// line; a value may span lines, as in a pretty-printed single-object file). The first significant byte
/// decides which. A malformed line is reported and skipped; an array that breaks cannot be resynchronised,
/// so the rest of the file becomes one failed record.
/// </summary>
internal sealed class JsonRecordScanner
{
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 1024 };
    internal static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 1024 };

    private readonly ByteWindow _window;
    private readonly int _maxRecordBytes;
    private int _line = 1;

    private JsonRecordScanner(Stream stream, int maxRecordBytes)
    {
        _window = new ByteWindow(stream);
        _maxRecordBytes = maxRecordBytes;
    }

    private enum Frame
    {
        Complete,
        Invalid,
        TooLarge,
    }

    public static IEnumerable<ScannedRecord> Scan(Stream stream, CancellationToken cancellationToken, int maxRecordBytes = ReaderLimits.MaxRecordBytes)
    {
        var scanner = new JsonRecordScanner(stream, maxRecordBytes);
        scanner.SkipByteOrderMark();
        if (!scanner.SkipWhitespace())
        {
            return scanner.ReadFailure(-1) is { } failure ? [failure] : [];
        }

        return scanner._window.Span[0] == (byte)'['
            ? scanner.ScanArray(cancellationToken)
            : scanner.ScanLines(cancellationToken);
    }

    /// <summary>
    /// Scans <paramref name="stream"/> as JSON Lines whose first line is line <paramref name="firstLine"/> of the file
    /// (the rest of a file another reader started; no byte order mark, no array).
    /// </summary>
    public static IEnumerable<ScannedRecord> ScanLines(Stream stream, int firstLine, CancellationToken cancellationToken, int maxRecordBytes = ReaderLimits.MaxRecordBytes)
    {
        var scanner = new JsonRecordScanner(stream, maxRecordBytes) { _line = firstLine };
        return scanner.ScanLines(cancellationToken);
    }

    /// <summary>Parses one line the way the JSON Lines scan does; null when it is not exactly one JSON value.</summary>
    internal static JsonDocument? ParseLine(ReadOnlyMemory<byte> line) => TryParse(line);

    private IEnumerable<ScannedRecord> ScanArray(CancellationToken cancellationToken)
    {
        Advance(1);
        var index = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SkipWhitespace())
            {
                if (ReadFailure(index) is { } failure)
                {
                    yield return failure;
                }

                yield break;
            }

            var next = _window.Span[0];
            if (next == (byte)']')
            {
                Advance(1);
                if (SkipWhitespace())
                {
                    yield return RestOfFile(index, ReaderCodes.StreamBroken, "unexpected content after the closing ']' of the array");
                }

                yield break;
            }

            if (index > 0)
            {
                if (next != (byte)',')
                {
                    yield return RestOfFile(index, ReaderCodes.StreamBroken, $"expected ',' or ']' after array element {index - 1}");
                    yield break;
                }

                Advance(1);
                if (!SkipWhitespace())
                {
                    continue;
                }
            }

            var (frame, length, error) = FrameValue();
            if (frame != Frame.Complete)
            {
                yield return frame == Frame.TooLarge
                    ? RestOfFile(index, ReaderCodes.RecordTooLarge, $"array element {index} is larger than {_maxRecordBytes} bytes; the rest of the file is not read")
                    : RestOfFile(index, ReaderCodes.StreamBroken, $"the array breaks at element {index} ({_window.Error ?? error}); the rest of the file is not read");
                yield break;
            }

            foreach (var record in Emit(index, length))
            {
                yield return record;
            }

            index++;
        }
    }

    private IEnumerable<ScannedRecord> ScanLines(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SkipWhitespace())
            {
                if (ReadFailure(-1) is { } failure)
                {
                    yield return failure;
                }

                yield break;
            }

            int newline;
            var tooLong = false;
            while ((newline = _window.Span.IndexOf((byte)'\n')) < 0 && !_window.Eof)
            {
                if (!_window.Fill(_maxRecordBytes) && !_window.Eof)
                {
                    tooLong = true;
                    break;
                }
            }

            if (tooLong)
            {
                yield return ScannedRecord.Failed(_line, -1, _window.Buffer.AsMemory(_window.Start, _window.Length), ReaderCodes.RecordTooLarge, $"the line is longer than {_maxRecordBytes} bytes");
                SkipPastNewline();
                continue;
            }

            var lineLength = newline < 0 ? _window.Length : newline;
            var line = _window.Buffer.AsMemory(_window.Start, lineLength);
            if (TryParse(line) is { } document)
            {
                // The fast path: one record per line, parsed once.
                using (document)
                {
                    yield return ScannedRecord.Parsed(_line, -1, line, document);
                }

                Advance(lineLength);
                continue;
            }

            // Not one value on one line: a value spread over lines, several values on a line, or garbage.
            var (frame, length, error) = FrameValue();
            if (frame == Frame.Complete)
            {
                foreach (var record in Emit(-1, length))
                {
                    yield return record;
                }

                continue;
            }

            lineLength = Math.Min(lineLength, _window.Length);
            yield return ScannedRecord.Failed(_line, -1, _window.Buffer.AsMemory(_window.Start, lineLength), ReaderCodes.MalformedJson, $"the line is not valid JSON ({_window.Error ?? error})");
            Advance(lineLength);
        }
    }

    private IEnumerable<ScannedRecord> Emit(int index, int length)
    {
        var bytes = _window.Buffer.AsMemory(_window.Start, length);
        var document = TryParse(bytes);
        if (document is null)
        {
            yield return ScannedRecord.Failed(_line, index, bytes, ReaderCodes.MalformedJson, "the record is not valid JSON");
        }
        else
        {
            using (document)
            {
                yield return ScannedRecord.Parsed(_line, index, bytes, document);
            }
        }

        Advance(length);
    }

    /// <summary>Finds the end of the value at the window's start, reading more as needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (Frame Frame, int Length, string? Error) FrameValue()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_window.Span, _window.Eof, new JsonReaderState(ReaderOptions));
            try
            {
                if (reader.Read() && (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip()))
                {
                    return (Frame.Complete, (int)reader.BytesConsumed, null);
                }
            }
            catch (JsonException e)
            {
                return (Frame.Invalid, 0, e.Message);
            }

            if (_window.Eof)
            {
                return (Frame.Invalid, 0, "the file ends inside the value");
            }

            if (!_window.Fill(_maxRecordBytes) && !_window.Eof)
            {
                return (Frame.TooLarge, 0, null);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JsonDocument? TryParse(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes, DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ScannedRecord RestOfFile(int index, string code, string reason) =>
        ScannedRecord.Failed(_line, index, _window.Buffer.AsMemory(_window.Start, _window.Length), code, reason);

    /// <summary>A read error that ended the stream early, as a record, or null when the stream simply ended.</summary>
    private ScannedRecord? ReadFailure(int index) =>
        _window.Error is { } error ? ScannedRecord.Failed(_line, index, ReadOnlyMemory<byte>.Empty, ReaderCodes.StreamBroken, error, raw: string.Empty) : null;

    private void SkipByteOrderMark()
    {
        while (_window.Length < 3 && _window.Fill(_maxRecordBytes))
        {
        }

        if (_window.Span.StartsWith("\uFEFF"u8))
        {
            _window.Start += 3;
        }
    }

    /// <summary>Moves past whitespace; false when the stream holds nothing more.</summary>
    private bool SkipWhitespace()
    {
        while (true)
        {
            var span = _window.Span;
            var first = span.IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0)
            {
                Advance(first);
                return true;
            }

            Advance(span.Length);
            if (!_window.Fill(_maxRecordBytes))
            {
                return false;
            }
        }
    }

    private void SkipPastNewline()
    {
        while (true)
        {
            var newline = _window.Span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                Advance(newline + 1);
                return;
            }

            _window.Discard();
            if (!_window.Fill(_maxRecordBytes))
            {
                return;
            }
        }
    }

    private void Advance(int count)
    {
        _line += _window.Buffer.AsSpan(_window.Start, count).Count((byte)'\n');
        _window.Start += count;
    }
}
