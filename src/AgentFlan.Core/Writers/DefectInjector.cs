using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFlan.Synthetic;

namespace AgentFlan.Writers;

/// <summary>
/// Damages records the way real public files are damaged (../shared/formats/README.md), one defect per
/// chosen record. Which records and which defect depend only on the seed and the record's index.
/// </summary>
internal static partial class DefectInjector
{
    public const string Repair = "repair";
    public const string Reject = "reject";

    /// <summary>A legal variant seen in real copies (a fork's roles, 0/1 flags): read as is, no repair counted.</summary>
    public const string Accept = "accept";

    /// <summary>Not applied to the record: the writer cuts the serialized line in half.</summary>
    public const string TruncatedLine = "truncated-line";

    private sealed record Candidate(string Name, string Expected, Action? Apply);

    public static (string Defect, string Expected)? Apply(CorpusFormat format, JsonObject record, CorpusWriterOptions options, int index)
    {
        var rng = SampleRandom.For(options.Seed, SyntheticSplit.Train, index, stream: 0xDEFEC7);
        if (!rng.Chance(options.DefectRate))
        {
            return null;
        }

        var candidates = Candidates(format, record).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var chosen = rng.Pick(candidates);
        chosen.Apply?.Invoke();
        return (chosen.Name, chosen.Expected);
    }

    private static IEnumerable<Candidate> Candidates(CorpusFormat format, JsonObject record) => format switch
    {
        CorpusFormat.AgentFlan => AgentFlan(record),
        CorpusFormat.AgentInstruct => AgentInstruct(record),
        CorpusFormat.OpenAi => OpenAi(record),
        CorpusFormat.ToolBench => ToolBench(record),
        CorpusFormat.ToolLlama => ToolLlama(record),
        CorpusFormat.Glaive => Glaive(record),
        _ => ShareGpt(record),
    };

    private static IEnumerable<Candidate> AgentFlan(JsonObject record)
    {
        yield return new(TruncatedLine, Reject, null);
        yield return new("loss-as-int", Accept, () =>
        {
            foreach (var turn in record["conversation"]!.AsArray())
            {
                turn!["loss"] = turn["loss"]!.GetValue<bool>() ? 1 : 0;
            }
        });
        yield return new("missing-conversation", Reject, () => record.Remove("conversation"));
    }

    private static IEnumerable<Candidate> AgentInstruct(JsonObject record)
    {
        yield return new(TruncatedLine, Reject, null);
        yield return new("missing-loss", Accept, () =>
        {
            foreach (var turn in record["conversations"]!.AsArray())
            {
                turn!.AsObject().Remove("loss");
            }
        });
        yield return new("empty-conversations", Reject, () => record["conversations"] = new JsonArray());
    }

    private static IEnumerable<Candidate> OpenAi(JsonObject record)
    {
        yield return new(TruncatedLine, Reject, null);
        var messages = record["messages"]!.AsArray();
        var calls = messages.SelectMany(m => m!["tool_calls"]?.AsArray() ?? []).Select(c => c!["function"]!.AsObject()).ToList();
        if (calls.Count == 0)
        {
            yield break;
        }

        yield return new("arguments-as-object", Repair, () =>
        {
            foreach (var f in calls)
            {
                f["arguments"] = JsonNode.Parse(f["arguments"]!.GetValue<string>());
            }
        });
        yield return new("missing-tool-call-id", Accept, () =>
        {
            foreach (var m in messages.Where(m => m!["role"]!.GetValue<string>() == "tool"))
            {
                m!.AsObject().Remove("tool_call_id");
            }
        });
        yield return new("undeclared-tool", Reject, () => calls[0]["name"] = calls[0]["name"]!.GetValue<string>() + "_v2");
    }

    private static IEnumerable<Candidate> ToolBench(JsonObject record)
    {
        var generation = record["answer_generation"]!.AsObject();
        yield return new("give-up", Reject, () =>
        {
            // The trajectory ends in Finish(give_up_and_restart): every copy of that last step says so.
            var giveUp = ToolBenchRecord.FinishArguments(string.Empty, "give_up_and_restart");
            generation["finish_type"] = "give_up";
            generation["final_answer"] = giveUp;
            foreach (var list in generation["train_messages"]!.AsArray())
            {
                if (list!.AsArray()[^1]!["function_call"] is JsonObject { } call && call["name"]!.GetValue<string>() == "Finish")
                {
                    call["arguments"] = giveUp;
                }
            }
        });
        yield return new("invalid-data", Reject, () => generation["valid_data"] = false);
        yield return new("truncated-file", Reject, null);
    }

    private static IEnumerable<Candidate> ToolLlama(JsonObject record)
    {
        yield return new("no-finish", Reject, () =>
        {
            var turns = record["conversations"]!.AsArray();
            turns.RemoveAt(turns.Count - 1);
        });
        var steps = record["conversations"]!.AsArray()
            .Where(t => t!["from"]!.GetValue<string>() == "assistant" && !t["value"]!.GetValue<string>().Contains("Action: Finish", StringComparison.Ordinal) &&
                t["value"]!.GetValue<string>().Contains("\nAction Input: ", StringComparison.Ordinal))
            .Select(t => t!.AsObject()).ToList();
        if (steps.Count == 0)
        {
            yield break;
        }

        yield return new("non-json-action-input", Repair, () =>
        {
            var value = steps[0]["value"]!.GetValue<string>();
            var at = value.IndexOf("Action Input: ", StringComparison.Ordinal) + "Action Input: ".Length;
            steps[0]["value"] = value[..at] + PyJson.Repr(JsonNode.Parse(value[at..]));
        });
    }

    private static IEnumerable<Candidate> Glaive(JsonObject record)
    {
        var chat = record["chat"]!.GetValue<string>();
        var system = record["system"]!.GetValue<string>();
        yield return new("stray-endoftext", Repair, () =>
            record["chat"] = chat.Replace("USER: ", "USER: <|endoftext|>", StringComparison.Ordinal));
        if (!chat.Contains("<functioncall>", StringComparison.Ordinal))
        {
            yield break;
        }

        yield return new("text-before-functioncall", Repair, () =>
            record["chat"] = chat.Replace("ASSISTANT: <functioncall>", "ASSISTANT: Sure, let me check that for you. <functioncall>", StringComparison.Ordinal));
        yield return new("duplicate-function", Repair, () =>
        {
            var first = system[system.IndexOf("\n{", StringComparison.Ordinal)..].TrimEnd('\n').Split("\n\n")[0];
            record["system"] = system + "\n" + first.TrimStart('\n') + "\n";
        });
        yield return new("undeclared-function", Reject, () =>
            record["chat"] = CallName().Replace(chat, m => m.Value.Replace("\"name\": \"", "\"name\": \"legacy_", StringComparison.Ordinal), 1));
        yield return new("escaped-quotes", Repair, () =>
            record["chat"] = ArgumentsText().Replace(chat, m => "'" + m.Groups[1].Value.Replace("\"", "\\\"", StringComparison.Ordinal) + "'}", 1));
        yield return new("bare-object-arguments", Accept, () =>
            record["chat"] = ArgumentsText().Replace(chat, m => m.Groups[1].Value + "}"));
        if (NumberArgument().IsMatch(chat))
        {
            yield return new("non-json-arguments", Reject, () => record["chat"] = NumberArgument().Replace(chat, "$1Infinity", 1));
        }
    }

    private static IEnumerable<Candidate> ShareGpt(JsonObject record)
    {
        var turns = record["conversations"]!.AsArray();
        yield return new("user-assistant-roles", Accept, () =>
        {
            foreach (var t in turns)
            {
                t!["from"] = t["from"]!.GetValue<string>() switch { "human" => "user", "gpt" => "assistant", var other => other };
            }
        });
        yield return new("missing-id", Accept, () => record.Remove("id"));
        yield return new("missing-value", Reject, () => turns.Last(t => t!["from"]!.GetValue<string>() == "gpt")!.AsObject().Remove("value"));
    }

    [GeneratedRegex("<functioncall> \\{\"name\": \"[^\"]+\"")]
    private static partial Regex CallName();

    [GeneratedRegex("'(\\{.*?\\})'\\}")]
    private static partial Regex ArgumentsText();

    [GeneratedRegex("(\"arguments\": '\\{[^']*?\": )-?[0-9]+(\\.[0-9]+)?")]
    private static partial Regex NumberArgument();
}
