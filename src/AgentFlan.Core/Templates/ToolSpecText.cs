using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// A tool spec as the templates write it in tool lists, rendered once per <see cref="ToolSpec"/> instance.
/// Readers give every record that offers the same spec the same instance, so a corpus that repeats a few tool
/// lists in thousands of conversations renders each spec once instead of once per conversation (rendering the
/// lists was about 90% of the template's time and allocation). A spec is never modified once read, so its
/// text cannot go stale; entries go when their spec is collected.
/// </summary>
internal static class ToolSpecText
{
    private static readonly ConditionalWeakTable<ToolSpec, Texts> Memo = new();

    /// <summary><c>{"name":…,"description":…,"parameters":{…}}</c>, compact (the ReAct and JSON forms' tool list).</summary>
    public static string Compact(ToolSpec tool)
    {
        var texts = Memo.GetValue(tool, static _ => new Texts());
        return texts.Compact ??= JsonText.Compact(Spec(tool, wrap: false));
    }

    /// <summary>The spec with a space after every colon and comma; <paramref name="wrap"/>: inside <c>{"type": "function", "function": …}</c>.</summary>
    public static string Spaced(ToolSpec tool, bool wrap)
    {
        var texts = Memo.GetValue(tool, static _ => new Texts());
        return wrap
            ? texts.SpacedWrapped ??= JsonText.Spaced(Spec(tool, wrap: true))
            : texts.Spaced ??= JsonText.Spaced(Spec(tool, wrap: false));
    }

    private static JsonObject Spec(ToolSpec tool, bool wrap)
    {
        var spec = new JsonObject
        {
            ["name"] = tool.Name,
            ["description"] = tool.Description,
            ["parameters"] = tool.Parameters.DeepClone(),
        };
        return wrap ? new JsonObject { ["type"] = "function", ["function"] = spec } : spec;
    }

    /// <summary>Filled on first use; threads that race compute the same text, so either write is right.</summary>
    private sealed class Texts
    {
        public string? Compact;
        public string? Spaced;
        public string? SpacedWrapped;
    }
}
