using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Evaluation;

/// <summary>
/// The <c>loss</c> suite's conversations and how they are rendered. Two sets: <see cref="GeneratorSet"/>, the
/// synthetic generator's held-out split in its default kind mix (<c>samples</c> conversations, a pure function of
/// the seed), and <see cref="HeldOutSet"/>, up to <c>samples</c> of the recipe's own held-out conversations
/// (<c>held_out.fraction</c>), ranked by a hash of (seed, id). Each is rendered as training renders it: the recipe's
/// template and masking, the form chat alignment gives it with the recipe's seed and <c>react_fraction</c>, and the
/// same <see cref="SampleTokenizer"/>. The one difference: capability weights are all 1, so every eligible assistant
/// token counts (a weight drops supervision to save training tokens; it must not hide a capability from the score).
/// </summary>
public static class LossSuite
{
    public const string GeneratorSet = "generator";
    public const string HeldOutSet = "held_out";

    // The generator's held-out index range no case category uses (EvaluationSuites uses 0-7).
    private const int Category = 8;

    private static readonly CapabilitySettings Unweighted = new() { Reasoning = 1, Retrieval = 1, Understanding = 1, InstructionFollowing = 1 };

    /// <summary>The kind name the manifest and reports use (agent-chat, agent-react, format-following, negative, general).</summary>
    public static string KindName(ConversationKind kind) => Compilation.RecipeCompiler.KindName(kind);

    public static IReadOnlyList<(string Set, Conversation Conversation)> Conversations(int seed, int samples, IReadOnlyList<Conversation> heldOut)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var generated = EvaluationSuites.Generate(seed, Category, kind: null, samples).Select(c => (GeneratorSet, c));
        var own = StableRandom.Rank(heldOut, c => c.Id, seed, "evaluation:loss").Take(samples).Select(c => (HeldOutSet, c));
        return [.. generated, .. own];
    }

    public static IReadOnlyList<LossSample> Tokenize(
        IReadOnlyList<(string Set, Conversation Conversation)> conversations,
        LoadedTokenizer tokenizer,
        ChatTemplate template,
        MaskingSettings masking,
        double reactFraction,
        int seed)
    {
        var aligned = conversations.Select(x => (x.Set, Conversation: x.Conversation with
        {
            Kind = ChatAlignment.Align(x.Conversation.Id, x.Conversation.Kind, x.Conversation.Messages.Any(m => m.ToolCalls.Count > 0), reactFraction, seed),
        })).ToList();
        var sampler = new SampleTokenizer(tokenizer, template, masking, new RenderPlan(seed, Unweighted));
        return [.. aligned.Select(x => new LossSample(x.Set, sampler.Tokenize(x.Conversation)))];
    }
}
