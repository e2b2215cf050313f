using AgentFlan.Conversations;
using AgentFlan.Templates;

namespace AgentFlan.Transforms;

/// <summary>
/// Agent-FLAN step 1: each tool-use trajectory is kept in ReAct form with probability
/// <c>alignment.react_fraction</c> (<see cref="ConversationKind.AgentReact"/>) and otherwise becomes natural
/// multi-turn chat (<see cref="ConversationKind.AgentChat"/>); the choice is a function of (seed, "alignment",
/// id). The recipe decides, whatever form the source used: the canonical model holds no form. Other
/// conversations keep their kind and the form their kind implies.
/// </summary>
internal static class ChatAlignment
{
    public const string Transform = "alignment";

    /// <summary>The kind alignment gives a conversation: a trajectory becomes ReAct or chat, anything else keeps its kind.</summary>
    public static ConversationKind Align(ReadOnlySpan<char> id, ConversationKind kind, bool hasCalls, double reactFraction, int seed)
    {
        if (!Kinds.IsTrajectory(kind, hasCalls))
        {
            return kind;
        }

        return StableRandom.Chance(reactFraction, seed, Transform, id) ? ConversationKind.AgentReact : ConversationKind.AgentChat;
    }
}
