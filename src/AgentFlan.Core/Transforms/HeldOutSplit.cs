using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>
/// <c>held_out.fraction</c>: each conversation is held out with probability <c>fraction</c>, decided by a stable
/// hash of (seed, "held_out", conversation id) alone. So the split is the same whatever the input order, whatever
/// the other conversations are, and a conversation is never in both parts; the share of each source held out is
/// the fraction up to sampling noise. Held-out conversations are excluded from training and kept for the
/// evaluation (the loss suite, and tool-use / hallucination cases where their form allows).
/// </summary>
public static class HeldOutSplit
{
    public const string Transform = "held_out";

    /// <summary>Whether a conversation with this id is held out.</summary>
    public static bool IsHeldOut(string id, double fraction, int seed) => StableRandom.Chance(fraction, seed, Transform, id);

    public static bool IsHeldOut(ReadOnlySpan<char> id, double fraction, int seed) => StableRandom.Chance(fraction, seed, Transform, id);

    /// <summary>Splits <paramref name="conversations"/>, keeping their order in both parts, and counts the held-out ones per source.</summary>
    public static (List<Conversation> Training, List<Conversation> HeldOut) Apply(
        IReadOnlyList<Conversation> conversations, double fraction, int seed, SortedDictionary<string, long>? heldOutBySource = null)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        if (fraction == 0)
        {
            return ([.. conversations], []);
        }

        var training = new List<Conversation>(conversations.Count);
        var heldOut = new List<Conversation>();
        foreach (var conversation in conversations)
        {
            if (IsHeldOut(conversation.Id, fraction, seed))
            {
                heldOut.Add(conversation);
                if (heldOutBySource is not null)
                {
                    var source = conversation.Provenance.Source;
                    heldOutBySource[source] = heldOutBySource.GetValueOrDefault(source) + 1;
                }
            }
            else
            {
                training.Add(conversation);
            }
        }

        return (training, heldOut);
    }
}
