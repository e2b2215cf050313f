using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, "A chat template file must be a YAML mapping of role markers.", path, 1, 1));
                return null;
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, (e.InnerException?.Message ?? e.Message).Trim(), path, (int)e.Start.Line, (int)e.Start.Column));
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
