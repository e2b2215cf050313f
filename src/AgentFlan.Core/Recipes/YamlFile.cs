using AgentFlan.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>Loads a YAML file whose root must be a mapping; syntax errors and duplicate keys become located diagnostics.</summary>
internal static class YamlFile
{
    /// <param name="what">How the file is named in messages ("A recipe", "A chat template file").</param>
    public static YamlMappingNode? LoadMapping(string path, string what, List<Diagnostic> diagnostics)
    {
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.YamlSyntax, $"{what} must be a YAML mapping (key: value lines).", path, 1, 1));
                return null;
            }

            return mapping;
        }
        catch (YamlException e)
        {
            var code = e.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ? DiagnosticCodes.DuplicateKey : DiagnosticCodes.YamlSyntax;
            diagnostics.Add(Diagnostic.Error(code, (e.InnerException?.Message ?? e.Message).Trim(), path, (int)e.Start.Line, (int)e.Start.Column));
            return null;
        }
        catch (IOException e)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RecipeNotFound, $"'{path}' cannot be read: {e.Message}", path));
            return null;
        }
    }
}
