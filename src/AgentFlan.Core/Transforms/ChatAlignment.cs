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

    public static Conversation Align(Conversation conversation, double reactFraction, int seed, Dictionary<string, RenderForm> forms, SortedDictionary<string, long> byForm)
    {
        if (!Kinds.IsTrajectory(conversation))
        {
            return conversation;
        }

        var react = StableRandom.Chance(reactFraction, seed, Transform, conversation.Id);
        var form = react ? RenderForm.React : RenderForm.Chat;
        forms[conversation.Id] = form;
        var name = RenderForms.Name(form);
        byForm[name] = byForm.GetValueOrDefault(name) + 1;
        return conversation with { Kind = react ? ConversationKind.AgentReact : ConversationKind.AgentChat };
    }
}
