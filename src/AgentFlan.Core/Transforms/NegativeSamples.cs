using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>
/// Agent-FLAN step 3, negative samples of two kinds, split evenly between the kinds the recipe names:
/// <c>no_tools</c>: a trajectory's first user query with no tool offered, answered in plain text that says no
/// tool is available and invents no result; <c>irrelevant_tools</c>: a general-chat conversation offered
/// <c>tools_per_sample</c> tools from the corpus catalogue that <see cref="ToolRelevance"/> judges irrelevant,
/// with its answers unchanged (none calls a tool). Bases are ranked by (seed, transform, id); a base is reused
/// (with a different answer wording or tool draw) only when more samples are asked for than there are bases.
/// </summary>
internal static class NegativeSamples
{
    public const string Transform = "negatives";
    public const string NoToolsTransform = Transform + ".no_tools";
    public const string IrrelevantToolsTransform = Transform + ".irrelevant_tools";

    private static readonly string[] NoToolAnswers =
    [
        "I can't do that here: no tools are available to me in this conversation, so I have no way to fetch live data or act on your behalf. If you share the details you have, I'm happy to help you work with them.",
        "I'm not able to look that up. It would need a tool ({purpose}), and none is available to me right now, so I won't guess at a result. A service that provides this directly will have the current answer.",
        "Without a suitable tool I can't complete this request, and I'd rather not make up a result. If you find the information yourself, I can help you interpret it or plan the next step.",
        "I don't have access to any tools at the moment, so I can't carry this out ({purpose}). I can explain how you could do it yourself, if that helps.",
    ];

    /// <summary>How many samples of each kind: <paramref name="count"/> split evenly, the first kinds taking the remainder.</summary>
    public static int Share(int count, int kindIndex, int kinds) => (count / kinds) + (kindIndex < count % kinds ? 1 : 0);

    /// <summary>The id of sample <paramref name="j"/> of a kind (<c>#neg-no-tools</c> or <c>#neg-tools</c>) built on the base with rank j mod <paramref name="baseCount"/>.</summary>
    public static string Id(string kind, int j, int baseCount, string baseId)
    {
        var cycle = j / baseCount;
        return baseId + (kind == "no_tools" ? "#neg-no-tools" : "#neg-tools") + (cycle > 0 ? $"-{cycle}" : string.Empty);
    }

    /// <summary>Every tool the corpus offers, once per name (the smallest spec text wins), sorted by name.</summary>
    public static List<ToolSpec> Catalogue(IEnumerable<ToolSpec> tools)
    {
        var text = new Dictionary<ToolSpec, string>(ReferenceEqualityComparer.Instance);
        var best = new Dictionary<string, (ToolSpec Tool, string Text)>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (!text.TryGetValue(tool, out var spec))
            {
                spec = tool.Description + "\u0001" + tool.Parameters.ToJsonString();
                text[tool] = spec;
            }

            if (!best.TryGetValue(tool.Name, out var current) || string.CompareOrdinal(spec, current.Text) < 0)
            {
                best[tool.Name] = (tool, spec);
            }
        }

        return [.. best.Values.Select(b => b.Tool).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <summary>A <c>no_tools</c> negative: the base trajectory's first user query, no tool offered, a plain refusal.</summary>
    public static Conversation NoTools(Conversation source, string id, int seed)
    {
        var query = source.Messages.First(m => m.Role == Role.User);
        var call = source.Messages.SelectMany(m => m.ToolCalls).First();
        var purpose = Purpose(source.Tools.FirstOrDefault(t => t.Name == call.Name)?.Description, call.Name);
        var template = NoToolAnswers[(int)(StableRandom.Hash(seed, NoToolsTransform, id) % (ulong)NoToolAnswers.Length)];
        var answer = template.Replace("{purpose}", purpose, StringComparison.Ordinal);
        return new Conversation(id, source.Provenance, [], [Message.User(query.Content), Message.Assistant(answer)]) { Kind = ConversationKind.Negative };
    }

    /// <summary>The catalogue tools that share no content word with the conversation (<see cref="ToolRelevance"/>).</summary>
    public static List<ToolSpec> Irrelevant(Conversation conversation, IReadOnlyList<ToolSpec> catalogue, IReadOnlyList<HashSet<string>> catalogueWords)
    {
        var words = ToolRelevance.ConversationWords(conversation);
        return [.. catalogue.Where((_, i) => !catalogueWords[i].Overlaps(words))];
    }

    /// <summary>An <c>irrelevant_tools</c> negative: the general conversation as it is, offered tools it does not need.</summary>
    public static Conversation IrrelevantTools(Conversation source, string id, IReadOnlyList<ToolSpec> irrelevant, int toolsPerSample, int seed)
    {
        var offered = StableRandom.Rank(irrelevant, t => t.Name, seed, IrrelevantToolsTransform + "/" + id).Take(toolsPerSample).ToList();
        return source with { Id = id, Tools = offered, Kind = ConversationKind.Negative };
    }

    /// <summary>"Current weather for a city." → "current weather for a city".</summary>
    private static string Purpose(string? description, string name)
    {
        var text = string.IsNullOrWhiteSpace(description) ? name : description.Trim().TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}
