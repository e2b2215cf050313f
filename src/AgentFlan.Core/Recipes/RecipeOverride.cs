using AgentFlan.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>
/// One command-line override, <c>path=value</c>: <c>training.learning_rate=1e-4</c>, <c>seed=2</c>,
/// <c>sources.synthetic.count=50</c> (a source by name) or <c>sources[0].count=50</c> (by position).
/// The value is YAML, so <c>[a, b]</c> is a list. Overrides are applied after <c>extends</c> and validated
/// like recipe text; in MSBuild they come from <c>-p:AgentFlanOverrides="a=1;b=2"</c>.
/// </summary>
public sealed record RecipeOverride(string Path, string Value)
{
    public override string ToString() => $"{Path}={Value}";

    /// <summary>Parses <c>a.b=1;c=2</c>. Malformed entries become AFB0011 diagnostics.</summary>
    public static IReadOnlyList<RecipeOverride> Parse(string? text, List<Diagnostic> diagnostics)
    {
        var result = new List<RecipeOverride>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var raw in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = raw.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidOverride, $"Override '{raw}' must look like path=value (for example training.steps=10).", RecipeDocument.OverridesOrigin));
                continue;
            }

            result.Add(new RecipeOverride(raw[..equals].Trim(), raw[(equals + 1)..].Trim()));
        }

        return result;
    }

    internal void ApplyTo(YamlMappingNode root, Dictionary<YamlNode, string> files, List<Diagnostic> diagnostics)
    {
        YamlNode value;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader("v: " + Value));
            value = ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("v")];
        }
        catch (YamlException e)
        {
            diagnostics.Add(Error($"its value is not valid YAML ({e.Message})."));
            return;
        }

        RecipeDocument.MarkFile(value, RecipeDocument.OverridesOrigin, files);
        var parts = Path.Split('.', StringSplitOptions.TrimEntries);
        YamlNode current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            var (key, index) = SplitIndex(parts[i]);
            if (key.Length == 0 || current is not YamlMappingNode mapping)
            {
                diagnostics.Add(Error($"'{string.Join('.', parts[..i])}' is not a mapping."));
                return;
            }

            bool last = i == parts.Length - 1 && index is null;
            var keyNode = new YamlScalarNode(key);
            if (last)
            {
                files[keyNode] = RecipeDocument.OverridesOrigin;
                mapping.Children[keyNode] = value;
                return;
            }

            if (!mapping.Children.TryGetValue(keyNode, out var next))
            {
                next = new YamlMappingNode();
                files[keyNode] = RecipeDocument.OverridesOrigin;
                files[next] = RecipeDocument.OverridesOrigin;
                mapping.Children[keyNode] = next;
            }

            if (next is YamlSequenceNode sequence)
            {
                // A list item by position (sources[0]) or, for lists of named items, by name (sources.synthetic).
                YamlNode? item = null;
                if (index is int position)
                {
                    item = position < sequence.Children.Count ? sequence.Children[position] : null;
                }
                else if (i + 1 < parts.Length)
                {
                    i++;
                    item = sequence.Children.OfType<YamlMappingNode>().FirstOrDefault(m =>
                        m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode s && s.Value == parts[i]);
                }

                if (item is null)
                {
                    diagnostics.Add(Error($"'{string.Join('.', parts[..(i + 1)])}' names no item of the list '{key}'."));
                    return;
                }

                if (i == parts.Length - 1)
                {
                    diagnostics.Add(Error("a whole list item cannot be replaced; override one of its keys."));
                    return;
                }

                next = item;
            }

            current = next;
        }
    }

    private static (string Key, int? Index) SplitIndex(string part)
    {
        var open = part.IndexOf('[', StringComparison.Ordinal);
        if (open < 0 || !part.EndsWith(']'))
        {
            return (part, null);
        }

        return int.TryParse(part[(open + 1)..^1], out var index) && index >= 0 ? (part[..open], index) : (string.Empty, null);
    }

    private Diagnostic Error(string why) =>
        Diagnostic.Error(DiagnosticCodes.InvalidOverride, $"Override '{this}': {why}", RecipeDocument.OverridesOrigin);
}
