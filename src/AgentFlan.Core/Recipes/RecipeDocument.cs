using AgentFlan.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>
/// The YAML of a recipe after <c>extends</c> and command-line overrides are applied, with the file every
/// node came from, so a diagnostic points into the right file even for an inherited value.
/// Mappings merge key by key (the child wins); any other value, lists included, is replaced whole.
/// </summary>
internal sealed class RecipeDocument
{
    public const string OverridesOrigin = "AgentFlanOverrides";
    private const int MaxDepth = 16;

    private RecipeDocument(YamlMappingNode root, Dictionary<YamlNode, string> files, IReadOnlyList<string> chain)
    {
        Root = root;
        Files = files;
        Chain = chain;
    }

    public YamlMappingNode Root { get; }

    /// <summary>Which file each node was read from (by reference).</summary>
    public Dictionary<YamlNode, string> Files { get; }

    /// <summary>The recipe files involved, the recipe itself first, then its ancestors.</summary>
    public IReadOnlyList<string> Chain { get; }

    public static RecipeDocument? Load(string file, IReadOnlyList<RecipeOverride> overrides, List<Diagnostic> diagnostics)
    {
        var files = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);
        var chain = new List<string>();
        var root = LoadWithAncestors(file, files, chain, diagnostics, referencedFrom: null);
        if (root is null)
        {
            return null;
        }

        foreach (var item in overrides)
        {
            item.ApplyTo(root, files, diagnostics);
        }

        return new RecipeDocument(root, files, chain);
    }

    private static YamlMappingNode? LoadWithAncestors(string file, Dictionary<YamlNode, string> files, List<string> chain, List<Diagnostic> diagnostics, Diagnostic? referencedFrom)
    {
        if (chain.Contains(file, StringComparer.Ordinal))
        {
            var cycle = string.Join(" -> ", chain.Append(file).Select(Path.GetFileName));
            diagnostics.Add(referencedFrom! with { Code = DiagnosticCodes.ExtendsCycle, Message = $"'extends' forms a cycle: {cycle}." });
            return null;
        }

        if (chain.Count >= MaxDepth)
        {
            diagnostics.Add(referencedFrom! with { Code = DiagnosticCodes.ExtendsCycle, Message = $"'extends' is nested more than {MaxDepth} deep." });
            return null;
        }

        chain.Add(file);
        var own = Parse(file, diagnostics);
        if (own is null)
        {
            return null;
        }

        MarkFile(own, file, files);
        var extendsKey = new YamlScalarNode("extends");
        if (!own.Children.TryGetValue(extendsKey, out var extendsNode))
        {
            return own;
        }

        own.Children.Remove(extendsKey);
        if (extendsNode is not YamlScalarNode { Value: { Length: > 0 } relative })
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.WrongType, "'extends' must be the path of another recipe.", file, (int)extendsNode.Start.Line, (int)extendsNode.Start.Column));
            return own;
        }

        var parentPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, relative));
        var at = Diagnostic.Error(DiagnosticCodes.ReferencedFileMissing, string.Empty, file, (int)extendsNode.Start.Line, (int)extendsNode.Start.Column);
        if (!File.Exists(parentPath))
        {
            diagnostics.Add(at with { Message = $"'extends' names '{relative}', which does not exist (resolved to '{parentPath}')." });
            return null;
        }

        var parent = LoadWithAncestors(parentPath, files, chain, diagnostics, at);
        if (parent is null)
        {
            return null;
        }

        // The parent's name and description describe the parent, not this recipe.
        parent.Children.Remove(new YamlScalarNode("name"));
        parent.Children.Remove(new YamlScalarNode("description"));
        Merge(parent, own);
        return parent;
    }

    private static YamlMappingNode? Parse(string file, List<Diagnostic> diagnostics)
    {
        if (!File.Exists(file))
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RecipeNotFound, $"Recipe '{file}' does not exist.", file));
            return null;
        }

        return YamlFile.LoadMapping(file, "A recipe", diagnostics);
    }

    private static void Merge(YamlMappingNode into, YamlMappingNode from)
    {
        foreach (var (key, value) in from.Children)
        {
            if (value is YamlMappingNode childMap && into.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode parentMap)
            {
                Merge(parentMap, childMap);
            }
            else
            {
                into.Children[key] = value;
            }
        }
    }

    internal static void MarkFile(YamlNode node, string file, Dictionary<YamlNode, string> files)
    {
        files[node] = file;
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    MarkFile(key, file, files);
                    MarkFile(value, file, files);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    MarkFile(child, file, files);
                }

                break;
        }
    }
}
