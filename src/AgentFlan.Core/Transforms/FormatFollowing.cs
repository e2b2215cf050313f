using AgentFlan.Conversations;
using AgentFlan.Templates;

namespace AgentFlan.Transforms;

/// <summary>
/// Format-following samples (Agent-FLAN step 1, the ~2–3k explicit requests): a trajectory whose first user
/// turn ends with an explicit request for ReAct or JSON output, answered in exactly that format. Bases are the
/// trajectories ranked by (seed, "format_following", id); formats alternate over the ranked list, so they are
/// balanced to within one. When more samples are asked for than there are trajectories, the list is reused with
/// the formats shifted, so a base gets each format before any repeats.
/// </summary>
internal static class FormatFollowing
{
    public const string Transform = "format_following";

    private static readonly string[] ReactRequests =
    [
        "Please answer in the ReAct format: for each step write a Thought line, an Action line naming the tool and an Action Input line with the arguments as JSON, and finish with a Final Answer line.",
        "Use the ReAct format for your reply: Thought, Action and Action Input for every step, then Final Answer.",
        "Format your response as ReAct (Thought / Action / Action Input, ending with Final Answer).",
    ];

    private static readonly string[] JsonRequests =
    [
        "Please reply in JSON only: one object per step with \"thought\", \"name\" and \"arguments\", and a last object with \"final_answer\".",
        "Answer with JSON objects: {\"thought\", \"name\", \"arguments\"} for every tool call and {\"final_answer\"} at the end.",
        "Respond strictly in JSON, one object per line: each step as thought, name and arguments, the answer as final_answer.",
    ];

    public static List<Conversation> Build(IReadOnlyList<Conversation> conversations, int count, IReadOnlyList<string> formats, int seed, Dictionary<string, RenderForm> forms, SortedDictionary<string, long> byFormat)
    {
        var result = new List<Conversation>();
        var bases = StableRandom.Rank(conversations.Where(c => Kinds.IsTrajectory(c) && c.Messages.Any(m => m.Role == Role.User)), c => c.Id, seed, Transform);
        if (count == 0 || bases.Count == 0 || formats.Count == 0)
        {
            return result;
        }

        for (int j = 0; j < count; j++)
        {
            var source = bases[j % bases.Count];
            var cycle = j / bases.Count;
            var format = formats[(j + cycle) % formats.Count];
            var id = $"{source.Id}#ff-{format}" + (cycle > 0 ? $"-{cycle}" : string.Empty);
            var requests = format == "json" ? JsonRequests : ReactRequests;
            var request = requests[(int)(StableRandom.Hash(seed, Transform, id) % (ulong)requests.Length)];
            var first = source.Messages.ToList().FindIndex(m => m.Role == Role.User);
            var messages = source.Messages.ToList();
            messages[first] = messages[first] with { Content = messages[first].Content + "\n\n" + request };
            result.Add(source with { Id = id, Messages = messages, Kind = ConversationKind.FormatFollowing });
            forms[id] = format == "json" ? RenderForm.Json : RenderForm.React;
            byFormat[format] = byFormat.GetValueOrDefault(format) + 1;
        }

        return result;
    }
}
