using AgentFlan.Conversations;
using AgentFlan.Recipes;

namespace AgentFlan.Transforms;

/// <summary>
/// The Agent-FLAN method on the canonical model (DESIGN.md §1, docs/method.md), in this order:
/// user negatives (the <c>negatives.source</c> source is taken as negatives, as given) → exact deduplication →
/// the held-out split (<c>held_out.fraction</c>, <see cref="HeldOutSplit"/>; those conversations go to
/// <see cref="TransformResult.HeldOut"/>, not to training) → decontamination against the held-out evaluation queries (<see cref="Decontaminator"/>) →
/// source weights → chat alignment (ReAct or natural chat per trajectory) → format-following samples →
/// generated negatives → general-chat ratio → sample budget. Capability weights are applied per segment when
/// the tokenizer renders a sample (<see cref="RenderPlan"/>); the token budget after tokenization
/// (<see cref="Mixer.LimitTokens"/>).
/// Every choice is a function of (seed, transform, sample id), so the same recipe and inputs give the same
/// result in any input order; the output keeps the sources' order, followed by the built samples.
/// The compile streams the same decisions (<see cref="TransformPlan"/>) instead of holding the corpus.
/// </summary>
public static class AgentFlanTransforms
{
    /// <summary>The transforms on conversations in memory, as a list.</summary>
    public static TransformResult Apply(Recipe recipe, IEnumerable<Conversation> conversations)
    {
        using var spool = new ConversationSpool();
        var plan = TransformPlan.Create(recipe, conversations, spool);
        return new TransformResult([.. plan.Conversations()], plan.Plan, plan.Statistics) { HeldOut = plan.HeldOut };
    }
}
