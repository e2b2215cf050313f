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

    private static readonly string[] NoToolAnswers =
    [
        "I can't do that here: no tools are available to me in this conversation, so I have no way to fetch live data or act on your behalf. If you share the details you have, I'm happy to help you work with them.",
        "I'm not able to look that up. It would need a tool ({purpose}), and none is available to me right now, so I won't guess at a result. A service that provides this directly will have the current answer.",
        "Without a suitable tool I can't complete this request, and I'd rather not make up a result. If you find the information yourself, I can help you interpret it or plan the next step.",
        "I don't have access to any tools at the moment, so I can't carry this out ({purpose}). I can explain how you could do it yourself, if that helps.",
    ];

    public static List<Conversation> Build(
        IReadOnlyList<Conversation> conversations,
        int count,
        IReadOnlyList<string> kinds,
        int toolsPerSample,
        int seed,
        SortedDictionary<string, long> byKind)
    {
        var result = new List<Conversation>();
        if (count == 0 || kinds.Count == 0)
        {
            return result;
        }

        for (int k = 0; k < kinds.Count; k++)
        {
            var n = (count / kinds.Count) + (k < count % kinds.Count ? 1 : 0);
            var built = kinds[k] == "no_tools"
                ? NoTools(conversations, n, seed)
                : IrrelevantTools(conversations, n, toolsPerSample, seed);
            byKind[kinds[k]] = byKind.GetValueOrDefault(kinds[k]) + built.Count;
            result.AddRange(built);
        }

        return result;
    }

    /// <summary>Every tool the corpus offers, once per name (the smallest spec text wins), sorted by name.</summary>
    public static List<ToolSpec> Catalogue(IEnumerable<Conversation> conversations) =>
        [.. conversations
            .SelectMany(c => c.Tools)
            .GroupBy(t => t.Name, StringComparer.Ordinal)
            .Select(g => g.MinBy(t => t.Description + "\u0001" + t.Parameters.ToJsonString(), StringComparer.Ordinal)!)
            .OrderBy(t => t.Name, StringComparer.Ordinal)];

    private static List<Conversation> NoTools(IReadOnlyList<Conversation> conversations, int count, int seed)
    {
        const string transform = Transform + ".no_tools";
        var result = new List<Conversation>();
        var bases = StableRandom.Rank(conversations.Where(c => Kinds.IsTrajectory(c) && c.Messages.Any(m => m.Role == Role.User)), c => c.Id, seed, transform);
        for (int j = 0; j < count && bases.Count > 0; j++)
        {
            var source = bases[j % bases.Count];
            var cycle = j / bases.Count;
            var id = $"{source.Id}#neg-no-tools" + (cycle > 0 ? $"-{cycle}" : string.Empty);
            var query = source.Messages.First(m => m.Role == Role.User);
            var call = source.Messages.SelectMany(m => m.ToolCalls).First();
            var purpose = Purpose(source.Tools.FirstOrDefault(t => t.Name == call.Name)?.Description, call.Name);
            var template = NoToolAnswers[(int)(StableRandom.Hash(seed, transform, id) % (ulong)NoToolAnswers.Length)];
            var answer = template.Replace("{purpose}", purpose, StringComparison.Ordinal);
            result.Add(new Conversation(id, source.Provenance, [], [Message.User(query.Content), Message.Assistant(answer)]) { Kind = ConversationKind.Negative });
        }

        return result;
    }

    private static List<Conversation> IrrelevantTools(IReadOnlyList<Conversation> conversations, int count, int toolsPerSample, int seed)
    {
        const string transform = Transform + ".irrelevant_tools";
        var result = new List<Conversation>();
        var catalogue = Catalogue(conversations);
        var bases = StableRandom.Rank(
            conversations.Where(c => c.Kind == ConversationKind.General && c.Tools.Count == 0 && !Kinds.HasCalls(c)),
            c => c.Id,
            seed,
            transform);
        var toolWords = catalogue.Select(ToolRelevance.ToolWords).ToList();
        var candidates = bases
            .Select(c =>
            {
                var words = ToolRelevance.ConversationWords(c);
                return (Conversation: c, Tools: catalogue.Where((_, i) => !toolWords[i].Overlaps(words)).ToList());
            })
            .Where(x => x.Tools.Count > 0)
            .ToList();
        for (int j = 0; j < count && candidates.Count > 0; j++)
        {
            var (source, irrelevant) = candidates[j % candidates.Count];
            var cycle = j / candidates.Count;
            var id = $"{source.Id}#neg-tools" + (cycle > 0 ? $"-{cycle}" : string.Empty);
            var offered = StableRandom.Rank(irrelevant, t => t.Name, seed, transform + "/" + id).Take(toolsPerSample).ToList();
            result.Add(source with { Id = id, Tools = offered, Kind = ConversationKind.Negative });
        }

        return result;
    }

    /// <summary>"Current weather for a city." → "current weather for a city".</summary>
    private static string Purpose(string? description, string name)
    {
        var text = string.IsNullOrWhiteSpace(description) ? name : description.Trim().TrimEnd('.');
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }
}
