using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Evaluation;
using AgentFlan.Recipes;
using AgentFlan.Templates;

namespace AgentFlan.Core.Tests.Evaluation;

[TestClass]
public sealed class ToolCallParserTests
{
    private static readonly ToolSyntax Native = ChatTemplates.Get("chatml").Tools;
    private static readonly ToolSyntax Prose = ChatTemplates.Get("agentflan").Tools;

    [TestMethod]
    public void Reads_a_native_call_inside_its_tags()
    {
        var calls = ToolCallParser.Parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Lyon\", \"days\": 3}}\n</tool_call>", Native);

        Assert.HasCount(1, calls);
        Assert.AreEqual("get_weather", calls[0].Name);
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("{\"city\": \"Lyon\", \"days\": 3}"), calls[0].Arguments));
        Assert.AreEqual("native", calls[0].Syntax);
    }

    [TestMethod]
    public void Reads_prose_calls_with_json_values_and_the_closing_full_stop()
    {
        var calls = ToolCallParser.Parse("Sure. I'll use convert_currency with amount = 12.5, from = \"USD, dollars\", to = \"EUR\". I'll use get_time with city = \"Oslo\", precise = true.", Prose);

        Assert.HasCount(2, calls);
        Assert.AreEqual("convert_currency", calls[0].Name);
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("{\"amount\": 12.5, \"from\": \"USD, dollars\", \"to\": \"EUR\"}"), calls[0].Arguments));
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("{\"city\": \"Oslo\", \"precise\": true}"), calls[1].Arguments));
    }

    [TestMethod]
    public void A_prose_call_with_a_broken_value_is_a_call_with_invalid_arguments()
    {
        var calls = ToolCallParser.Parse("I'll use get_weather with city = Lyon.", Prose);

        Assert.HasCount(1, calls);
        Assert.AreEqual("get_weather", calls[0].Name);
        Assert.IsFalse(calls[0].ArgumentsValid);
    }

    [TestMethod]
    public void A_prose_call_must_follow_the_call_syntax_to_have_valid_arguments()
    {
        Assert.IsTrue(ToolCallParser.Parse("I'll use list_files.", Prose).Single().ArgumentsValid);
        Assert.IsFalse(ToolCallParser.Parse("I'll use get_currency = \"2026-01-01", Prose).Single().ArgumentsValid);
    }

    [TestMethod]
    public void Reads_react_and_json_form_calls_in_any_template()
    {
        var react = ToolCallParser.Parse("Thought: I need the rate.\nAction: get_exchange_rate\nAction Input: {\"base\": \"USD\", \"quote\": \"JPY\"}", Prose);
        var json = ToolCallParser.Parse("{\"thought\": \"Look it up.\", \"name\": \"define_word\", \"arguments\": {\"word\": \"ephemeral\"}}", Prose);

        Assert.AreEqual("react", react.Single().Syntax);
        Assert.AreEqual("get_exchange_rate", react[0].Name);
        Assert.AreEqual("JPY", (string?)react[0].Arguments!["quote"]);
        Assert.AreEqual("json", json.Single().Syntax);
        Assert.AreEqual("ephemeral", (string?)json[0].Arguments!["word"]);
    }

    [TestMethod]
    public void Reads_arrays_of_calls_and_the_parameters_key()
    {
        var mistral = ToolCallParser.Parse("[TOOL_CALLS] [{\"name\": \"a_tool\", \"arguments\": {\"x\": 1}}, {\"name\": \"b_tool\", \"arguments\": {}}]", ChatTemplates.Get("mistral").Tools);
        var llama3 = ToolCallParser.Parse("{\"name\": \"get_news\", \"parameters\": {\"topic\": \"science\"}}", ChatTemplates.Get("llama3").Tools);

        CollectionAssert.AreEqual(new[] { "a_tool", "b_tool" }, mistral.Select(c => c.Name).ToArray());
        Assert.AreEqual("science", (string?)llama3.Single().Arguments!["topic"]);
    }

    [TestMethod]
    public void Truncated_json_keeps_the_name_and_marks_the_arguments_invalid()
    {
        var calls = ToolCallParser.Parse("<tool_call>\n{\"name\": \"search_flights\", \"arguments\": {\"from\": \"OSL\", \"to\"", Native);

        Assert.AreEqual("search_flights", calls.Single().Name);
        Assert.IsFalse(calls[0].ArgumentsValid);
    }

    [TestMethod]
    public void Plain_text_and_argument_objects_alone_are_not_calls()
    {
        Assert.IsEmpty(ToolCallParser.Parse("The capital of Peru is Lima. {\"note\": \"no call here\"}", Native));
        Assert.IsEmpty(ToolCallParser.Parse("I don't have a tool for live weather, sorry.", Prose));
    }

    [TestMethod]
    public void Every_template_reads_back_the_calls_it_renders()
    {
        var call = new ToolCall("create_calendar_event", JsonNode.Parse("{\"title\": \"Stand-up, daily\", \"date\": \"2025-03-14\", \"attendees\": [\"Ana\", \"Bo\"], \"location\": {\"room\": \"4.2\"}, \"minutes\": 15, \"remote\": false}")!.AsObject());
        var conversation = new Conversation("c", new Provenance("test"), [], [Message.User("Book it."), Message.Assistant(string.Empty) with { Thought = "I'll book it.", ToolCalls = [call, call with { Name = "set_reminder" }] }]);
        foreach (var name in ChatTemplates.Names)
        {
            var template = ChatTemplates.Get(name);
            foreach (var form in Enum.GetValues<RenderForm>())
            {
                var text = string.Concat(template.Render(conversation, new MaskingSettings(), form).Select(s => s.Text));
                var prompt = string.Concat(template.Render(conversation with { Messages = [conversation.Messages[0]] }, new MaskingSettings(), form).Select(s => s.Text)) + template.Markers.AssistantBegin;
                StringAssert.StartsWith(text, prompt, $"{name} {form}: the evaluation prompt is a prefix of the rendered conversation");
                var answer = text[prompt.Length..];
                var calls = ToolCallParser.Parse(EvaluationPrompt.Cut(answer, template).Text, template.Tools);

                CollectionAssert.AreEqual(new[] { "create_calendar_event", "set_reminder" }, calls.Select(c => c.Name).ToArray(), $"{name} {form}: {answer}");
                Assert.IsTrue(calls.All(c => JsonNode.DeepEquals(c.Arguments, call.Arguments)), $"{name} {form}: {answer}");
            }
        }
    }
}
