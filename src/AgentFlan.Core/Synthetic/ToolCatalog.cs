using AgentFlan.Conversations;
using AgentFlan.Synthetic.Catalog;

namespace AgentFlan.Synthetic;

/// <summary>
/// The generator's tools: several domains, JSON-schema parameters of every common shape. Some tools are
/// held out: they appear only in <see cref="SyntheticSplit.HeldOut"/> output. Every call returns fresh
/// <see cref="ToolSpec"/> instances, so callers may attach their schemas to other JSON trees.
/// </summary>
public static class ToolCatalog
{
    internal static readonly IReadOnlyList<SyntheticTool> Tools =
    [
        .. WeatherTools.All(),
        .. FinanceTools.All(),
        .. TravelTools.All(),
        .. FileTools.All(),
        .. CalendarTools.All(),
        .. KnowledgeTools.All(),
        .. MathTools.All(),
        .. ShoppingTools.All(),
        .. FoodTools.All(),
        .. PersonalTools.All(),
    ];

    private static readonly Dictionary<string, SyntheticTool> ByName = Tools.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Every tool, held-out ones included.</summary>
    public static IReadOnlyList<ToolSpec> All() => Tools.Select(t => t.ToSpec()).ToList();

    /// <summary>The tools a split may offer: training tools for <see cref="SyntheticSplit.Train"/>, all for held-out.</summary>
    public static IReadOnlyList<ToolSpec> For(SyntheticSplit split) =>
        Tools.Where(t => split == SyntheticSplit.HeldOut || !t.HeldOut).Select(t => t.ToSpec()).ToList();

    public static IReadOnlyList<string> HeldOutToolNames { get; } = Tools.Where(t => t.HeldOut).Select(t => t.Name).ToList();

    public static IReadOnlyList<string> Domains { get; } = Tools.Select(t => t.Domain).Distinct().ToList();

    public static ToolSpec? Find(string name) => ByName.TryGetValue(name, out var tool) ? tool.ToSpec() : null;

    public static bool IsHeldOut(string name) => ByName.TryGetValue(name, out var tool) && tool.HeldOut;

    public static string? DomainOf(string name) => ByName.TryGetValue(name, out var tool) ? tool.Domain : null;

    internal static SyntheticTool? Get(string name) => ByName.GetValueOrDefault(name);
}
