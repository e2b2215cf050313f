using AgentFlan.Diagnostics;
using AgentFlan.Recipes;

namespace AgentFlan.Templates;

/// <summary>
/// A user's chat template: a YAML file of role markers (<c>system_begin</c>, <c>system_end</c>, <c>user_begin</c>,
/// <c>user_end</c>, <c>assistant_begin</c>, <c>assistant_end</c>, <c>tool_begin</c>, <c>tool_end</c>, optional
/// <c>prefix</c>). Rendering is the same mechanism as the built-ins.
/// </summary>
public static class ChatTemplateFile
{
    private static readonly string[] Required = ["system_begin", "system_end", "user_begin", "user_end", "assistant_begin", "assistant_end", "tool_begin", "tool_end"];

    public static ChatTemplate? Load(string path, List<Diagnostic> diagnostics)
    {
        if (YamlFile.LoadMapping(path, "A chat template file", diagnostics) is not { } root)
        {
            return null;
        }

        int before = diagnostics.Count(d => d.IsError);
        var map = new YamlMap(root, new RecipeReadContext([], path, diagnostics), string.Empty);
        var values = Required.ToDictionary(k => k, k => map.String(k, string.Empty, required: true)!);
        var prefix = map.String("prefix", string.Empty)!;
        map.ReportUnknownKeys();
        if (diagnostics.Count(d => d.IsError) > before)
        {
            return null;
        }

        return new ChatTemplate(Path.GetFileNameWithoutExtension(path), new RoleMarkers(
            values["system_begin"], values["system_end"], values["user_begin"], values["user_end"],
            values["assistant_begin"], values["assistant_end"], values["tool_begin"], values["tool_end"], prefix));
    }
}
