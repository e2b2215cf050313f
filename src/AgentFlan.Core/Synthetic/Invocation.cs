using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>One drawn use of a tool: the phrasing, the slot values, the implied arguments and the query text.</summary>
internal sealed class Invocation
{
    public Invocation(SyntheticTool tool, string template, Slots slots)
    {
        Tool = tool;
        Template = template;
        Slots = slots;
        Arguments = tool.ArgumentsFor(template, slots);
        Query = Synthetic.Template.Fill(template, slots);
    }

    public SyntheticTool Tool { get; }

    public string Template { get; }

    public Slots Slots { get; }

    public JsonObject Arguments { get; }

    /// <summary>The filled phrasing, before any greeting or sign-off is wrapped around it.</summary>
    public string Query { get; }

    public string Purpose => Synthetic.Template.Fill(Tool.Purpose, Slots);

    public ToolCall Call(string id) => new(Tool.Name, (JsonObject)Arguments.DeepClone(), id);

    /// <summary>"city = Paris, units = celsius".</summary>
    public string ArgumentSummary() =>
        string.Join(", ", Arguments.Select(p => $"{p.Key} = {(p.Value is JsonValue v && v.TryGetValue(out string? text) ? text : p.Value!.ToJsonString(SyntheticJson.Compact))}"));

    /// <summary>Fills an answer template from the query slots and the result (<c>{r.key}</c>, <c>{r.rest}</c>).</summary>
    public string Answer(string template, JsonObject result) =>
        Fill(template, result).TrimEnd();

    private string Fill(string template, JsonObject result) =>
        Synthetic.Template.Fill(template, name =>
        {
            if (!name.StartsWith("r.", StringComparison.Ordinal))
            {
                return Slots.TryGetText(name, out var text) ? text : null;
            }

            var key = name[2..];
            if (key == "rest")
            {
                var rest = result.Where(p => !template.Contains("{r." + p.Key + "}", StringComparison.Ordinal)).ToList();
                return rest.Count == 0 ? string.Empty :
                    " Details: " + string.Join(", ", rest.Select(p => $"{p.Key.Replace('_', ' ')} {Render.Value(p.Value)}")) + ".";
            }

            return result.TryGetPropertyValue(key, out var value) ? Render.Value(value) : null;
        });
}
