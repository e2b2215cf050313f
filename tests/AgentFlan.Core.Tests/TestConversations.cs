using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Core.Tests;

/// <summary>Small hand-written conversations for unit tests (independent of the generator).</summary>
internal static class TestConversations
{
    public static ToolSpec Weather { get; } = new(
        "get_weather",
        "Current weather for a city.",
        JsonNode.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")!.AsObject());

    public static Conversation ToolUse(string id = "tool-1", string city = "Lisbon") => new(
        id,
        new Provenance("test"),
        [Weather],
        [
            Message.User($"What's the weather in {city}?"),
            new Message(Role.Assistant, string.Empty)
            {
                Thought = $"I need the current weather for {city}.",
                ToolCalls = [new ToolCall("get_weather", new JsonObject { ["city"] = city }, "call_1")],
            },
            Message.ToolResult("get_weather", """{"temperature_c": 21, "sky": "clear"}""", "call_1"),
            Message.Assistant($"It is 21 °C and clear in {city}."),
        ]);

    public static Conversation Chat(string id = "chat-1", string answer = "Paris.") => new(
        id,
        new Provenance("test"),
        [],
        [Message.System("You are helpful."), Message.User("Capital of France?"), Message.Assistant(answer)])
    {
        Kind = ConversationKind.General,
    };
}
