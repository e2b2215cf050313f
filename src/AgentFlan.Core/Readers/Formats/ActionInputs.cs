using System.Text.Json.Nodes;
using AgentFlan.Readers.Text;

namespace AgentFlan.Readers.Formats;

/// <summary>Turns the text after <c>Action Input:</c> into call arguments.</summary>
internal static class ActionInputs
{
    /// <summary>
    /// Empty → <c>{}</c>; a JSON object → itself; a Python dict literal → its JSON (a repair); otherwise,
    /// when <paramref name="wrapText"/>, <c>{"input": text}</c> (free-text inputs such as shell commands),
    /// else the record is rejected.
    /// </summary>
    public static JsonObject Parse(string? input, string tool, RecordContext context, bool wrapText)
    {
        var text = input?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            return [];
        }

        if (JsonFields.TryParseObject(text) is { } json)
        {
            return json;
        }

        if (text.StartsWith('{') && PythonLiteral.TryParse(text, out var ok) is JsonObject literal && ok)
        {
            context.Repaired(ReaderCodes.ArgumentsPythonLiteral, $"the arguments of '{tool}' were a Python literal and were converted to JSON");
            return literal;
        }

        return wrapText
            ? new JsonObject { ["input"] = text }
            : throw new RecordRejectedException(ReaderCodes.InvalidToolCall, $"the Action Input of '{tool}' is not a JSON object");
    }
}
