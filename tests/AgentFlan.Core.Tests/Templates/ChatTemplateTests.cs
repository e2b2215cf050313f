using System.Text;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Templates;

[TestClass]
public sealed class ChatTemplateTests
{
    public static IEnumerable<object[]> TemplateNames => ChatTemplates.Names.Select(n => new object[] { n });

    /// <summary>Every family, every form: the tool-use sample, a two-call turn and plain chat, pinned segment by segment.</summary>
    [TestMethod]
    [DynamicData(nameof(TemplateNames))]
    public void Renders_every_form_as_pinned_by_golden_files(string name)
    {
        var template = ChatTemplates.Get(name);
        var text = new StringBuilder();
        foreach (var form in Enum.GetValues<RenderForm>())
        {
            foreach (var conversation in new[] { TestConversations.ToolUse(), TwoCalls(), TestConversations.Chat() })
            {
                text.Append("=== ").Append(conversation.Id).Append(' ').Append(RenderForms.Name(form)).Append('\n');
                foreach (var segment in template.Render(conversation, new MaskingSettings(), form))
                {
                    text.Append(segment.Supervised ? $"[+{segment.Capability}]" : "[-]").Append(Escape(segment.Text)).Append('\n');
                }
            }
        }

        var failure = Golden.Compare($"tests/AgentFlan.Core.Tests/Templates/Golden/{name}.txt", text.ToString());
        Assert.IsNull(failure, failure);
    }

    [TestMethod]
    public void Json_text_quotes_plain_ASCII_exactly_as_the_relaxed_serializer_does()
    {
        var relaxed = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var samples = Enumerable.Range(0, 128).Select(c => ((char)c).ToString())
            .Concat(["", "get_weather", "it's <b>&</b>", "a\"b", "back\\slash", "tab\there", "café", "日本", "🎉", "\u2028", "\u00AD", "\uFEFF", "\u007F"]);
        foreach (var sample in samples)
        {
            Assert.AreEqual(System.Text.Json.JsonSerializer.Serialize(sample, relaxed), JsonText.String(sample), $"U+{(sample.Length > 0 ? (int)sample[0] : 0):X4}");
            var node = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { [sample] = new object[] { sample, 1, true } }));
            Assert.AreEqual(SpacedBySerializer(node, relaxed), JsonText.Spaced(node), $"U+{(sample.Length > 0 ? (int)sample[0] : 0):X4}");
        }
    }

    /// <summary>The spaced form written with the serializer alone: every key and value through it.</summary>
    private static string SpacedBySerializer(JsonNode? node, System.Text.Json.JsonSerializerOptions options) => node switch
    {
        JsonObject o => "{" + string.Join(", ", o.Select(p => System.Text.Json.JsonSerializer.Serialize(p.Key, options) + ": " + SpacedBySerializer(p.Value, options))) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(v => SpacedBySerializer(v, options))) + "]",
        null => "null",
        _ => node.ToJsonString(options),
    };

    [TestMethod]
    [DynamicData(nameof(TemplateNames))]
    public void Only_assistant_turns_are_supervised(string name)
    {
        var template = ChatTemplates.Get(name);
        var conversation = TestConversations.ToolUse();
        var supervised = string.Concat(template.Render(conversation, new MaskingSettings(), RenderForm.React).Where(s => s.Supervised).Select(s => s.Text));

        StringAssert.Contains(supervised, "Thought: I need the current weather for Lisbon.");
        StringAssert.Contains(supervised, "Action: get_weather");
        StringAssert.Contains(supervised, """Action Input: {"city":"Lisbon"}""");
        StringAssert.Contains(supervised, "Final Answer: It is 21 °C and clear in Lisbon.");
        Assert.IsFalse(supervised.Contains("What's the weather", StringComparison.Ordinal), "user text is never supervised");
        Assert.IsFalse(supervised.Contains("temperature_c", StringComparison.Ordinal), "tool results are never supervised");
        Assert.IsFalse(template.Markers.AssistantBegin.Length > 1 && supervised.Contains(template.Markers.AssistantBegin, StringComparison.Ordinal), "role headers are never supervised");
    }

    [TestMethod]
    [DynamicData(nameof(TemplateNames))]
    public void Every_supervised_segment_of_an_agent_sample_has_one_decomposed_capability(string name)
    {
        var template = ChatTemplates.Get(name);
        foreach (var form in Enum.GetValues<RenderForm>())
        {
            foreach (var conversation in new[] { TestConversations.ToolUse(), TwoCalls() })
            {
                var segments = template.Render(conversation, new MaskingSettings(), form);
                Assert.IsTrue(segments.Where(s => s.Supervised).All(s => s.Capability != Capability.None), $"{name}/{form}");
                Assert.IsTrue(segments.Where(s => !s.Supervised).All(s => s.Capability == Capability.None), $"{name}/{form}");
                foreach (var capability in new[] { Capability.Reasoning, Capability.Retrieval, Capability.Understanding, Capability.InstructionFollowing })
                {
                    Assert.IsTrue(segments.Any(s => s.Capability == capability), $"{name}/{form} has {capability}");
                }
            }

            var chat = template.Render(TestConversations.Chat(), new MaskingSettings(), form);
            Assert.IsTrue(chat.Where(s => s.Supervised && s.Capability == Capability.None).Any(), "a general answer is outside the decomposition");
        }
    }

    [TestMethod]
    public void Assistant_turns_with_loss_off_are_not_supervised()
    {
        var conversation = TestConversations.Chat() with
        {
            Messages = [Message.User("hi"), Message.Assistant("demo answer") with { Loss = false }, Message.User("again"), Message.Assistant("real answer")],
        };
        var supervised = string.Concat(ChatTemplates.Get("agentflan").Render(conversation).Where(s => s.Supervised).Select(s => s.Text));
        Assert.IsFalse(supervised.Contains("demo answer", StringComparison.Ordinal));
        StringAssert.Contains(supervised, "real answer");
    }

    [TestMethod]
    public void Json_helper_writes_spaced_json_and_keeps_non_ascii_readable()
    {
        Assert.AreEqual("""{"a": 1, "b": [true, null], "c": "São Paulo"}""", JsonText.Spaced(JsonNode.Parse("""{"a":1,"b":[true,null],"c":"São Paulo"}""")));
        Assert.AreEqual("\"not json\"", JsonText.Value("not json"));
        Assert.AreEqual("""{"x": 2}""", JsonText.Value("""{"x":2}"""));
    }

    /// <summary>One turn that calls two tools, then both results, then the answer.</summary>
    internal static Conversation TwoCalls() => new(
        "two-calls",
        new Provenance("test"),
        [TestConversations.Weather],
        [
            Message.System("Be brief."),
            Message.User("Weather in Oslo and Rome?"),
            new Message(Role.Assistant, string.Empty)
            {
                Thought = "Two cities, two calls.",
                ToolCalls =
                [
                    new ToolCall("get_weather", new JsonObject { ["city"] = "Oslo" }, "c1"),
                    new ToolCall("get_weather", new JsonObject { ["city"] = "Rome" }, "c2"),
                ],
            },
            Message.ToolResult("get_weather", """{"temperature_c": 3}""", "c1"),
            Message.ToolResult("get_weather", "sunny, 24 C", "c2"),
            Message.Assistant("Oslo 3 °C, Rome 24 °C."),
        ]);

    private static string Escape(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);
}
