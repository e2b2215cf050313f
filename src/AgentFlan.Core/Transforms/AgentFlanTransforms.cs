using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Templates;

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
/// </summary>
public static class AgentFlanTransforms
{
    public static TransformResult Apply(Recipe recipe, IEnumerable<Conversation> conversations)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(conversations);
        var seed = recipe.Seed;
        var input = conversations.ToList();
        if (recipe.Negatives.Source is { } negativeSource)
        {
            input = [.. input.Select(c => c.Provenance.Source == negativeSource ? c with { Kind = ConversationKind.Negative } : c)];
        }

        var duplicates = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var unique = Deduplicator.Apply(input, duplicates);
        var heldOutBySource = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var (training, heldOut) = HeldOutSplit.Apply(unique, recipe.HeldOut.Fraction, seed, heldOutBySource);
        var contaminated = new SortedDictionary<string, long>(StringComparer.Ordinal);

        // The same cases the evaluation will ask (generator, evaluation.sources files, held-out conversations).
        var cases = Evaluation.EvaluationSuites.Build(seed, recipe.Evaluation, heldOut, recipe.FilePath);
        var heldOutQueries = Evaluation.EvaluationSuites.Queries(cases, seed, recipe.Evaluation, heldOut);
        var clean = Decontaminator.Apply(training, heldOutQueries, recipe.HeldOut.DecontaminationNgram, recipe.HeldOut.DecontaminationThreshold, contaminated);
        var weighted = Mixer.ApplySourceWeights(clean, recipe.Sources, seed, out var added, out var removed);

        var forms = new Dictionary<string, RenderForm>(StringComparer.Ordinal);
        var byForm = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var aligned = weighted.Select(c => ChatAlignment.Align(c, recipe.Alignment.ReactFraction, seed, forms, byForm)).ToList();

        var byFormat = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var formatFollowing = FormatFollowing.Build(aligned, recipe.Alignment.FormatFollowingCount, recipe.Alignment.FormatFollowingFormats, seed, forms, byFormat);

        var negatives = recipe.Negatives;
        var trajectories = aligned.Count(Kinds.IsTrajectory);
        var negativeCount = negatives.Count > 0 ? negatives.Count : (int)Math.Round(negatives.Ratio * trajectories, MidpointRounding.AwayFromZero);
        var byKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var built = NegativeSamples.Build(aligned, negativeCount, negatives.Kinds, negatives.ToolsPerSample, seed, byKind);
        if (negatives.Source is { } source)
        {
            byKind["source"] = aligned.Count(c => c.Provenance.Source == source);
        }

        List<Conversation> all = [.. aligned, .. formatFollowing, .. built];
        var generalBefore = all.Count(c => c.Kind == ConversationKind.General);
        var mixed = Mixer.BalanceGeneral(all, recipe.Mixing.GeneralRatio, seed);
        var limited = Mixer.LimitSamples(mixed, recipe.Mixing.MaxSamples, seed);

        var statistics = new TransformStatistics
        {
            Input = input.Count,
            DuplicatesBySource = duplicates,
            HeldOutBySource = heldOutBySource,
            DecontaminatedBySource = contaminated,
            WeightAdded = added,
            WeightRemoved = removed,
            AlignedByForm = byForm,
            FormatFollowingRequested = recipe.Alignment.FormatFollowingCount,
            FormatFollowingByFormat = byFormat,
            NegativesRequested = negativeCount,
            NegativesByKind = byKind,
            GeneralBefore = generalBefore,
            GeneralAfter = mixed.Count(c => c.Kind == ConversationKind.General),
            SampleBudgetRemoved = mixed.Count - limited.Count,
            Output = limited.Count,
        };
        return new TransformResult(limited, new RenderPlan(seed, recipe.Capabilities, forms), statistics) { HeldOut = heldOut };
    }
}
