using System.Runtime.CompilerServices;
using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Tokenization;

namespace AgentFlan.Transforms;

/// <summary>
/// What the tokenizer needs from the transforms for each sample: the form chosen by chat alignment and the
/// capability weights (Agent-FLAN step 2), applied to the rendered segments.
/// Policy <c>segment</c>: each supervised segment of capability c stays supervised with probability w(c),
/// decided by (seed, sample id, segment index). Policy <c>sample</c>: one decision per (seed, sample id, c), so
/// a sample teaches a capability in all its steps or in none. Either way the expected supervised tokens of c
/// are w(c) times its eligible tokens; dropped segments keep their capability label but lose the loss, so the
/// report can show requested against achieved. Segments labelled <see cref="Capability.None"/> (general and
/// negative answers) are never weighed.
/// </summary>
public sealed class RenderPlan
{
    public const string Transform = "capabilities";

    private readonly IReadOnlyDictionary<string, RenderForm> _forms;

    public RenderPlan(int seed, CapabilitySettings capabilities, IReadOnlyDictionary<string, RenderForm>? forms = null)
    {
        Seed = seed;
        Capabilities = capabilities;
        _forms = forms ?? new Dictionary<string, RenderForm>();
    }

    public int Seed { get; }

    public CapabilitySettings Capabilities { get; }

    public static RenderPlan For(Recipe recipe) => new(recipe.Seed, recipe.Capabilities);

    public RenderForm FormOf(Conversation conversation) =>
        _forms.TryGetValue(conversation.Id, out var form) ? form : RenderForms.Default(conversation.Kind);

    public double Weight(Capability capability) => capability switch
    {
        Capability.Reasoning => Capabilities.Reasoning,
        Capability.Retrieval => Capabilities.Retrieval,
        Capability.Understanding => Capabilities.Understanding,
        Capability.InstructionFollowing => Capabilities.InstructionFollowing,
        _ => 1.0,
    };

    public IReadOnlyList<TemplateSegment> Weigh(string id, IReadOnlyList<TemplateSegment> segments)
    {
        List<TemplateSegment>? weighed = null;
        for (int i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (!Keeps(id, i, segment.Supervised, segment.Capability))
            {
                weighed ??= [.. segments];
                weighed[i] = segment with { Supervised = false };
            }
        }

        return weighed ?? segments;
    }

    /// <summary>The training sample of a tokenized document: its loss mask after the capability weights.</summary>
    public TokenizedSample Weigh(TokenizedDocument document) => Sample(document, (i, segment) => Keeps(document.Id, i, segment.Supervised, segment.Capability));

    /// <summary>
    /// The same sample as <see cref="Weigh(TokenizedDocument)"/>, as a view of the document: its segments are the
    /// runs, each supervised only if the weights keep it, so no per-token array is made (the runs share the
    /// document's segment array when the weights drop nothing). A document whose segments overlap or are out of
    /// order (none the template renders) goes through the per-token arrays instead, with the same result.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SampleView View(TokenizedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var segments = document.Segments;
        if (!SampleView.AreRuns(segments, document.Length))
        {
            // Never a document read without its ids: those are read with them when their segments are not runs.
            return SampleView.Of(Weigh(document));
        }

        DocumentSegment[]? runs = null;
        ulong? prefix = null;
        for (int i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Supervised && segment.Capability != Capability.None && !Keeps(ref prefix, document.Id, i, segment.Capability))
            {
                if (runs is null)
                {
                    runs = new DocumentSegment[segments.Length];
                    segments.CopyTo(runs, 0);
                }
                runs[i] = segment with { Supervised = false };
            }
        }

        return new SampleView(document.Id, document.Kind, document.Tokens, 0, document.Length, runs ?? segments);
    }

    /// <summary>The training sample of a tokenized document with every segment as the template supervises it.</summary>
    public static TokenizedSample Unweighed(TokenizedDocument document) => Sample(document, (_, segment) => segment.Supervised);

    /// <summary>Whether segment <paramref name="index"/> of sample <paramref name="id"/> is trained on after the weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Keeps(string id, int index, bool supervised, Capability capability)
    {
        if (!supervised || capability == Capability.None)
        {
            return supervised;
        }

        ulong? prefix = null;
        return Keeps(ref prefix, id, index, capability);
    }

    /// <summary><see cref="Keeps(string, int, bool, Capability)"/> for a supervised segment, the id's hash prefix computed at the first draw and kept in <paramref name="prefix"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Keeps(ref ulong? prefix, string id, int index, Capability capability)
    {
        var weight = Weight(capability);
        if (weight >= 1)
        {
            return true;
        }

        prefix ??= StableRandom.Prefix(Transform, id);
        var draw = Capabilities.Policy == "sample" ? (long)capability : index;
        return StableRandom.Chance(weight, prefix.Value, Seed, draw);
    }

    private static TokenizedSample Sample(TokenizedDocument document, Func<int, DocumentSegment, bool> supervised)
    {
        var loss = new byte[document.Length];
        var capabilities = new Capability[document.Length];
        for (int i = 0; i < document.Segments.Length; i++)
        {
            var segment = document.Segments[i];
            var range = new Range(segment.Start, segment.Start + segment.Length);
            capabilities.AsSpan(range).Fill(segment.Capability);
            if (supervised(i, segment))
            {
                loss.AsSpan(range).Fill(1);
            }
        }

        return new TokenizedSample(document.Id, document.Kind, document.Tokens, loss, capabilities);
    }
}
