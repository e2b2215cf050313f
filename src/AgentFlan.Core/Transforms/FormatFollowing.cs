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

    /// <summary>
    /// Sample <paramref name="j"/> of <paramref name="count"/>, given the number of ranked bases: which base (its rank),
    /// in which format and under which id.
    /// </summary>
    public static (int Base, string Format, string Id) Choose(int j, int baseCount, IReadOnlyList<string> formats, Func<int, string> baseId)
    {
        var rank = j % baseCount;
        var cycle = j / baseCount;
        var format = formats[(j + cycle) % formats.Count];
        var id = $"{baseId(rank)}#ff-{format}" + (cycle > 0 ? $"-{cycle}" : string.Empty);
        return (rank, format, id);
    }

    /// <summary>The sample: the base with an explicit format request appended to its first user turn.</summary>
    public static Conversation Build(Conversation source, string id, string format, int seed)
    {
        var requests = format == "json" ? JsonRequests : ReactRequests;
        var request = requests[(int)(StableRandom.Hash(seed, Transform, id) % (ulong)requests.Length)];
        var messages = source.Messages.ToList();
        var first = messages.FindIndex(m => m.Role == Role.User);
        messages[first] = messages[first] with { Content = messages[first].Content + "\n\n" + request };
        return source with { Id = id, Messages = messages, Kind = ConversationKind.FormatFollowing };
    }

    public static RenderForm Form(string format) => format == "json" ? RenderForm.Json : RenderForm.React;
}
