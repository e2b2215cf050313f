using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// A ToolBench answer file: <c>{win, tree, forward_args, compare_candidates, answer_generation}</c>. The
/// trajectory lives in <c>answer_generation.train_messages</c> (progressively longer message lists, each
/// ending with an assistant step), ending with a <c>Finish</c> call carrying the answer.
/// Thoughts are the assistant <c>content</c>; results use the <c>{"error", "response"}</c> envelope.
/// Only the last answer is a <c>Finish</c> call (nothing may follow it); an answer before a follow-up user turn
/// is a plain assistant message.
/// </summary>
internal static class ToolBenchRecord
{
    public static JsonObject Build(Conversation conversation)
    {
        var functions = ToolPrompts.ToolList(conversation.Tools);
        foreach (var f in functions)
        {
            var parameters = f!["parameters"]!.AsObject();
            var required = parameters["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
            parameters["optional"] = new JsonArray(parameters["properties"]!.AsObject().Select(p => p.Key).Where(k => !required.Contains(k)).Select(k => (JsonNode)k).ToArray());
        }

        functions.Add(ToolPrompts.FinishFunction());

        var messages = new List<JsonObject> { new() { ["role"] = "system", ["content"] = ToolPrompts.ToolBenchSystem(conversation.Tools) } };
        var prefixes = new JsonArray();
        var calls = 0;
        var firstUser = true;
        var lastAnswer = LastAnswerIndex(conversation);
        for (var i = 0; i < conversation.Messages.Count; i++)
        {
            var m = conversation.Messages[i];
            switch (m.Role)
            {
                case Role.User:
                    messages.Add(new JsonObject { ["role"] = "user", ["content"] = firstUser ? $"\n{m.Content}\nBegin!\n" : m.Content });
                    firstUser = false;
                    break;
                case Role.Tool:
                    messages.Add(new JsonObject { ["role"] = "function", ["name"] = m.Name, ["content"] = Turns.ToolBenchObservation(m.Content) });
                    break;
                case Role.Assistant when m.ToolCalls.Count > 0:
                    foreach (var call in m.ToolCalls)
                    {
                        calls++;
                        messages.Add(Step(m.Thought ?? (m.Content.Length > 0 ? m.Content : null), call.Name, PyJson.Dumps(call.Arguments, indent: 2)));
                        prefixes.Add(Snapshot(messages));
                    }

                    break;
                case Role.Assistant when i == lastAnswer:
                    messages.Add(Step(null, "Finish", FinishArguments(m.Content)));
                    prefixes.Add(Snapshot(messages));
                    break;
                case Role.Assistant:
                    // An answer before a follow-up turn: ToolBench allows nothing after Finish, so it is plain text.
                    messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = m.Content });
                    break;
                default:
                    break;
            }
        }

        var query = Turns.Query(conversation);
        var finalAnswer = FinishArguments(Turns.FinalAnswer(conversation));
        return new JsonObject
        {
            ["win"] = true,
            ["tree"] = new JsonObject { ["size"] = messages.Count, ["max_length"] = messages.Count, ["tree"] = Tree(messages) },
            ["forward_args"] = new JsonObject
            {
                ["single_chain_max_step"] = 12,
                ["tree_beam_size"] = 2,
                ["max_query_count"] = 200,
                ["answer"] = 1,
                ["with_filter"] = false,
            },
            ["compare_candidates"] = new JsonArray(),
            ["answer_generation"] = new JsonObject
            {
                ["valid_data"] = true,
                ["query_count"] = calls + 1,
                ["total_tokens"] = messages.Sum(m => (m["content"]?.ToString().Length ?? 0) / 4),
                ["final_answer"] = finalAnswer,
                ["function"] = functions,
                ["chain"] = new JsonArray(),
                ["train_messages"] = prefixes,
                ["query"] = query,
                ["finish_type"] = "give_answer",
                ["id"] = conversation.Id,
            },
        };
    }

    /// <summary>The last plain assistant answer: the one a Finish call carries.</summary>
    public static int LastAnswerIndex(Conversation conversation)
    {
        for (var i = conversation.Messages.Count - 1; i >= 0; i--)
        {
            if (conversation.Messages[i] is { Role: Role.Assistant, ToolCalls.Count: 0 })
            {
                return i;
            }
        }

        return -1;
    }

    public static string FinishArguments(string answer, string returnType = "give_answer") =>
        PyJson.Dumps(new JsonObject { ["return_type"] = returnType, ["final_answer"] = answer }, indent: 2);

    private static JsonObject Step(string? thought, string name, string arguments) => new()
    {
        ["role"] = "assistant",
        ["content"] = thought,
        ["function_call"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
    };

    private static JsonArray Snapshot(List<JsonObject> messages) => new(messages.Select(m => (JsonNode)m.DeepClone()).ToArray());

    /// <summary>The DFS tree reduced to the single successful chain: Action / Action Input nodes with observations.</summary>
    private static JsonObject Tree(List<JsonObject> messages)
    {
        var root = Node(0, "Action Input", string.Empty);
        var current = root;
        var depth = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i]["function_call"] is not JsonObject call)
            {
                continue;
            }

            var action = Node(++depth, "Action", call["name"]!.GetValue<string>());
            var input = Node(++depth, "Action Input", call["arguments"]!.GetValue<string>());
            input["observation"] = i + 1 < messages.Count && messages[i + 1]["role"]!.GetValue<string>() == "function"
                ? messages[i + 1]["content"]!.GetValue<string>()
                : "{\"response\":\"successfully giving the final answer.\"}";
            action["children"] = new JsonArray(input);
            current["children"] = new JsonArray(action);
            current = input;
        }

        current["is_terminal"] = true;
        return root;
    }

    private static JsonObject Node(int depth, string type, string description) => new()
    {
        ["is_terminal"] = false,
        ["pruned"] = false,
        ["finished"] = depth > 0,
        ["depth"] = depth,
        ["node_type"] = type,
        ["description"] = description,
        ["Elo"] = 1000.0,
        ["children"] = new JsonArray(),
    };
}
