using System.Globalization;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Synthetic;

namespace AgentFlan.Core.Tests.Synthetic;

/// <summary>The internal-consistency rules every generated conversation must satisfy; each returns its violations.</summary>
internal static class CorpusChecks
{
    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    /// <summary>Every call names an offered tool and its arguments satisfy that tool's schema.</summary>
    public static IEnumerable<string> CallsMatchOfferedTools(Conversation c)
    {
        var offered = c.Tools.ToDictionary(t => t.Name);
        foreach (var call in c.Messages.SelectMany(m => m.ToolCalls))
        {
            if (!offered.TryGetValue(call.Name, out var tool))
            {
                yield return $"{c.Id}: calls {call.Name}, which is not offered";
                continue;
            }

            foreach (var error in SchemaChecker.Validate(call.Arguments, tool.Parameters))
            {
                yield return $"{c.Id}: {call.Name} {error}";
            }
        }
    }

    /// <summary>Calling turns carry a thought and ids; each tool turn answers the call just before it.</summary>
    public static IEnumerable<string> TurnsAreWellFormed(Conversation c)
    {
        ToolCall? pending = null;
        foreach (var m in c.Messages)
        {
            if (m.Role == Role.Assistant && m.ToolCalls.Count > 0)
            {
                if (string.IsNullOrWhiteSpace(m.Thought))
                {
                    yield return $"{c.Id}: a calling turn has no thought";
                }

                pending = m.ToolCalls[0];
            }
            else if (m.Role == Role.Tool)
            {
                if (pending is null || m.ToolCallId != pending.Id || m.Name != pending.Name || string.IsNullOrEmpty(m.ToolCallId))
                {
                    yield return $"{c.Id}: tool turn {m.Name}/{m.ToolCallId} does not answer the preceding call";
                }

                pending = null;
            }
        }

        if (c.Messages[^1].Role != Role.Assistant || c.Messages[^1].ToolCalls.Count > 0)
        {
            yield return $"{c.Id}: does not end with an assistant answer";
        }
    }

    /// <summary>Free-text and numeric argument values appear in what the user said (or in an earlier result).</summary>
    public static IEnumerable<string> ArgumentsComeFromTheQuery(Conversation c)
    {
        var context = string.Empty;
        foreach (var m in c.Messages)
        {
            if (m.Role is Role.User or Role.Tool)
            {
                context += "\n" + m.Content;
            }

            foreach (var call in m.ToolCalls)
            {
                var schema = c.Tools.First(t => t.Name == call.Name).Parameters;
                foreach (var (value, isEnum) in Leaves(call.Arguments, schema))
                {
                    if (!isEnum && !SurfaceForms(value).Any(f => context.Contains(f, StringComparison.OrdinalIgnoreCase)))
                    {
                        yield return $"{c.Id}: {call.Name} argument '{value}' is not in the query";
                    }
                }
            }
        }
    }

    /// <summary>Each final answer quotes every value of the successful results of its turn, or the error it hit.</summary>
    public static IEnumerable<string> AnswersUseResults(Conversation c)
    {
        var results = new List<Message>();
        foreach (var m in c.Messages)
        {
            if (m.Role == Role.User)
            {
                results.Clear();
            }
            else if (m.Role == Role.Tool)
            {
                results.Add(m);
            }
            else if (m.Role == Role.Assistant && m.ToolCalls.Count == 0)
            {
                for (var i = 0; i < results.Count; i++)
                {
                    var output = JsonNode.Parse(results[i].Content)!.AsObject();
                    if (output["error"] is JsonValue error)
                    {
                        var retried = results.Skip(i + 1).Any(r => r.Name == results[i].Name);
                        if (!retried && !m.Content.Contains(error.GetValue<string>(), StringComparison.Ordinal))
                        {
                            yield return $"{c.Id}: answer does not report the error '{error}'";
                        }

                        continue;
                    }

                    foreach (var leaf in ScalarLeaves(output).Where(l => !m.Content.Contains(l, StringComparison.Ordinal)))
                    {
                        yield return $"{c.Id}: answer does not quote '{leaf}' from {results[i].Name}: {m.Content}";
                    }
                }

                results.Clear();
            }
        }
    }

    public static IEnumerable<string> All(Conversation c) =>
        CallsMatchOfferedTools(c).Concat(TurnsAreWellFormed(c)).Concat(ArgumentsComeFromTheQuery(c)).Concat(AnswersUseResults(c));

    private static IEnumerable<(string Value, bool IsEnum)> Leaves(JsonNode? node, JsonObject? schema)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    foreach (var leaf in Leaves(child, schema?["properties"]?[key] as JsonObject))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var leaf in Leaves(item, schema?["items"] as JsonObject))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValue v when v.TryGetValue(out bool _):
                break;
            case JsonValue v:
                yield return (v.TryGetValue(out string? s) ? s : v.ToJsonString(), schema?["enum"] is not null);
                break;
            default:
                break;
        }
    }

    private static IEnumerable<string> ScalarLeaves(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => ScalarLeaves(p.Value)),
        JsonArray array => array.SelectMany(ScalarLeaves),
        JsonValue v when v.TryGetValue(out bool _) => [],
        JsonValue v when v.TryGetValue(out string? s) => [s],
        JsonValue v => [v.ToJsonString()],
        _ => [],
    };

    /// <summary>The ways a value may be written: as is, and dates and times as people write them.</summary>
    private static IEnumerable<string> SurfaceForms(string value)
    {
        yield return value;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            yield return $"{Months[date.Month - 1]} {date.Day}, {date.Year}";
            yield return $"{date.Day} {Months[date.Month - 1]} {date.Year}";
        }

        if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            yield return $"{(time.Hour > 12 ? time.Hour - 12 : time.Hour)}:{time.Minute:00} {(time.Hour >= 12 ? "pm" : "am")}";
        }
    }
}
