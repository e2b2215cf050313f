using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Writers;

/// <summary>
/// The instruction texts the writers put where each format carries its tool list. Our own wording, in the
/// spirit of each source: readers should take the tools from the structured parts, not from this prose.
/// </summary>
internal static class ToolPrompts
{
    public const string ReactInstructions =
        "To use a tool, reply in exactly this form:\nThought: your reasoning\nAction: the tool name\nAction Input: the arguments as a JSON object\n" +
        "The tool's result comes back to you as an Observation. When you can answer, reply to the user in plain text.";

    public static string AgentFlanSystem(IReadOnlyList<ToolSpec> tools) =>
        "You are a helpful assistant that can use external tools. You have access to the following tools:\n" +
        ToolList(tools).ToJsonString(Json.Compact) + "\n" + ReactInstructions;

    public static string AgentInstructTask(IReadOnlyList<ToolSpec> tools, string query) =>
        "You are an assistant that solves the user's problem with the tools listed below. In each turn, first think, then either call " +
        "exactly one tool or give the final answer.\n\nTo call a tool, print:\nThought: your reasoning\nAction: tool_name({\"argument\": \"value\"})\n\n" +
        "The tool's output is returned to you as \"Observation: ...\". When you know the answer, reply in plain text.\n\nTools:\n" +
        ToolList(tools).ToJsonString(Json.Compact) + "\n\nNow, my problem is:\n\n" + query;

    public static string ToolBenchSystem(IReadOnlyList<ToolSpec> tools) =>
        "You are an agent that handles real-time user queries with tools (functions).\n" +
        "At each step, state a short thought about the current status and what to do next, together with one function call that performs the step.\n" +
        "After each call you receive its result and can decide the next step.\n" +
        "Always finish by calling the \"Finish\" function: give the final answer with return_type \"give_answer\", " +
        "or call it with \"give_up_and_restart\" if the task cannot be handled.\n" +
        "You have access to the following tools:\n" +
        string.Join(string.Empty, tools.Select((t, i) => $"{i + 1}.{t.Name}: {t.Description}\n"));

    public static string ToolLlamaSystem(JsonArray functions) =>
        "You are an agent that solves the user's task step by step with function calls. Each step, reply with\n" +
        "Thought: your analysis\nAction: the function name\nAction Input: its arguments as JSON\n" +
        "and you will receive the function's result. Always end with the Finish function, giving the final answer.\n" +
        "Specifically, you have access to the following APIs: " + PyJson.Repr(functions);

    public static JsonArray ToolList(IReadOnlyList<ToolSpec> tools) =>
        new(tools.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["description"] = t.Description,
            ["parameters"] = t.Parameters.DeepClone(),
        }).ToArray());

    /// <summary>ToolBench's <c>Finish</c> pseudo-function, which carries the final answer.</summary>
    public static JsonObject FinishFunction() => new()
    {
        ["name"] = "Finish",
        ["description"] = "Call this at the end of the task. Give the final answer the user will see, or give up and restart.",
        ["parameters"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["return_type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("give_answer", "give_up_and_restart") },
                ["final_answer"] = new JsonObject { ["type"] = "string", ["description"] = "The final answer shown to the user; required when return_type is give_answer." },
            },
            ["required"] = new JsonArray("return_type"),
        },
    };
}
