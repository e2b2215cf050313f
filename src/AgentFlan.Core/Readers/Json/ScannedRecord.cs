using System.Text;
using System.Text.Json;

namespace AgentFlan.Readers.Json;

/// <summary>
/// One top-level record found by <see cref="JsonRecordScanner"/>: a parsed document, or a framing failure
/// (malformed line, broken stream) with its code and reason. Valid only until the scanner moves on: the
/// document and the raw bytes live in the scanner's buffer.
/// </summary>
internal sealed class ScannedRecord
{
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly string? _rawOverride;

    private ScannedRecord(int line, int index, ReadOnlyMemory<byte> bytes, string? rawOverride)
    {
        Line = line;
        Index = index;
        _bytes = bytes;
        _rawOverride = rawOverride;
    }

    /// <summary>1-based line where the record starts.</summary>
    public int Line { get; }

    /// <summary>0-based index in a top-level JSON array; -1 for JSON Lines.</summary>
    public int Index { get; }

    public JsonDocument? Document { get; private init; }

    public string? FailureCode { get; private init; }

    public string? FailureReason { get; private init; }

    public static ScannedRecord Parsed(int line, int index, ReadOnlyMemory<byte> bytes, JsonDocument document) =>
        new(line, index, bytes, null) { Document = document };

    public static ScannedRecord Failed(int line, int index, ReadOnlyMemory<byte> bytes, string code, string reason, string? raw = null) =>
        new(line, index, bytes, raw) { FailureCode = code, FailureReason = reason };

    /// <summary>The record's text, cut to <see cref="ReaderLimits.MaxRawChars"/> characters.</summary>
    public string RawText() => _rawOverride ?? Decode(_bytes.Span);

    internal static string Decode(ReadOnlySpan<byte> bytes)
    {
        // Four bytes per character at most: decode a bounded prefix, then cut on characters.
        var prefix = bytes.Length > ReaderLimits.MaxRawChars * 4 ? bytes[..(ReaderLimits.MaxRawChars * 4)] : bytes;
        var text = Encoding.UTF8.GetString(prefix).TrimEnd('\r', '\n');
        return text.Length > ReaderLimits.MaxRawChars || prefix.Length < bytes.Length
            ? string.Concat(text.AsSpan(0, Math.Min(text.Length, ReaderLimits.MaxRawChars)), "…[cut]")
            : text;
    }
}
