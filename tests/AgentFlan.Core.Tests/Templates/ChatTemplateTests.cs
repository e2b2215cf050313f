using System.Text;
using AgentFlan.Conversations;
using AgentFlan.Templates;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Templates;

[TestClass]
public sealed class ChatTemplateTests
{
    public static IEnumerable<object[]> TemplateNames => ChatTemplates.Names.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(TemplateNames))]
    public void Renders_tool_use_and_chat_as_pinned_by_golden_files(string name)
    {
        var template = ChatTemplates.Get(name);
        var text = new StringBuilder();
        foreach (var conversation in new[] { TestConversations.ToolUse(), TestConversations.Chat() })
        {
            text.Append("=== ").Append(conversation.Id).Append('\n');
            foreach (var segment in template.Render(conversation))
            {
                text.Append(segment.Supervised ? $"[+{segment.Capability}]" : "[-]").Append(Escape(segment.Text)).Append('\n');
            }
        }

        var failure = Golden.Compare($"tests/AgentFlan.Core.Tests/Templates/Golden/{name}.txt", text.ToString());
        Assert.IsNull(failure, failure);
    }

    [TestMethod]
    [DynamicData(nameof(TemplateNames))]
    public void Only_assistant_turns_are_supervised(string name)
    {
        var template = ChatTemplates.Get(name);
        var conversation = TestConversations.ToolUse();
        var supervised = string.Concat(template.Render(conversation).Where(s => s.Supervised).Select(s => s.Text));

        StringAssert.Contains(supervised, "Thought: I need the current weather for Lisbon.");
        StringAssert.Contains(supervised, "Action: get_weather");
        StringAssert.Contains(supervised, """Action Input: {"city":"Lisbon"}""");
        StringAssert.Contains(supervised, "It is 21 °C and clear in Lisbon.");
        Assert.IsFalse(supervised.Contains("What's the weather", StringComparison.Ordinal), "user text is never supervised");
        Assert.IsFalse(supervised.Contains("temperature_c", StringComparison.Ordinal), "tool results are never supervised");
        Assert.IsFalse(supervised.Contains(template.Markers.AssistantBegin, StringComparison.Ordinal), "role headers are never supervised");
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

    private static string Escape(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);
}
