using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// What ToolBench and ToolLLaMA share: the Finish pseudo-tool, the function-result envelope and the
/// <c>Begin!</c> that the prompt appends to the query.
/// </summary>
internal static partial class ToolBenchFinish
{
    public const string ToolName = "Finish";

    /// <summary>The final answer of a <c>Finish</c> call; rejects a give-up (restart) or an answer-less call.</summary>
    public static string FinalAnswer(JsonObject arguments)
    {
        var returnType = arguments["return_type"] is JsonValue type && type.TryGetValue<string>(out var t) ? t : null;
        if (returnType != "give_answer")
        {
            throw new RecordRejectedException(ReaderCodes.NoFinalAnswer, $"the trajectory calls Finish with return_type '{returnType}', not give_answer");
        }

        return arguments["final_answer"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var answer) => answer,
            JsonNode other => other.ToJsonString(),
            null => throw new RecordRejectedException(ReaderCodes.NoFinalAnswer, "Finish(give_answer) has no final_answer"),
        };
    }

    /// <summary>
    /// The first user turn without the <c>\nBegin!</c> line ToolBench's prompt appends to the query (scaffolding,
    /// not the user's words); later turns and a turn that is only <c>Begin!</c> are kept, trimmed.
    /// </summary>
    public static string UserText(string content, bool first)
    {
        var text = content.Trim();
        return first && TrailingBegin().Match(text) is { Success: true } begin && begin.Index > 0 ? text[..begin.Index].TrimEnd() : text;
    }

    public static RecordRejectedException Unfinished() =>
        new(ReaderCodes.NoFinalAnswer, "the trajectory does not end in Finish with give_answer");

    /// <summary>
    /// A function result <c>{"error": "", "response": …}</c> becomes its response text; a non-empty error is
    /// kept in front as <c>Error: …</c>. ToolBench cuts long results to a fixed length, envelope included:
    /// such a result is read up to the cut (a repair). Anything else is kept as written.
    /// </summary>
    public static string ResultText(string content, RecordContext context)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("response", out var response))
            {
                return content;
            }

            var text = response.ValueKind switch
            {
                JsonValueKind.String => response.GetString()!,
                JsonValueKind.Null => string.Empty,
                _ => response.GetRawText(),
            };
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty;
            return error.Length == 0 ? text : text.Length == 0 ? $"Error: {error}" : $"Error: {error}\n{text}";
        }
        catch (JsonException)
        {
            return TruncatedEnvelope(content, context) ?? content;
        }
    }

    private static string? TruncatedEnvelope(string content, RecordContext context)
    {
        var match = CutEnvelope().Match(content);
        if (!match.Success)
        {
            return null;
        }

        // Drop at most a few characters of a cut escape sequence (\u00e, a lone backslash) at the end.
        var body = match.Groups["response"].Value;
        for (var drop = 0; drop <= Math.Min(6, body.Length); drop++)
        {
            try
            {
                var text = Unquote(body[..^drop]);
                var error = Unquote(match.Groups["error"].Value);
                context.Repaired(ReaderCodes.TruncatedResult, "a function result cut inside its JSON envelope was read up to the cut");
                return error.Length == 0 ? text : $"Error: {error}\n{text}";
            }
            catch (JsonException)
            {
            }
        }

        return null;
    }

    private static string Unquote(string body)
    {
        using var document = JsonDocument.Parse($"\"{body}\"");
        return document.RootElement.GetString()!;
    }

    [GeneratedRegex(@"\A\{\s*""error""\s*:\s*""(?<error>(?:[^""\\]|\\.)*)""\s*,\s*""response""\s*:\s*""(?<response>.*)\z", RegexOptions.Singleline | RegexOptions.ExplicitCapture)]
    private static partial Regex CutEnvelope();

    [GeneratedRegex(@"\r?\n[ \t]*Begin![ \t]*\z")]
    private static partial Regex TrailingBegin();
}
