using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.Templates;

namespace AgentFlan.Evaluation;

/// <summary>
/// Builds the held-out evaluation sets from the generator's <see cref="SyntheticSplit.HeldOut"/> split: held-out
/// tools and phrasings that no training corpus contains. Case <c>i</c> of a category is a pure function of
/// (seed, category, i), so a larger <c>samples</c> only extends the list.
/// <list type="bullet">
/// <item><c>hallucination</c>: the 2×2 of (tools offered or not) × (query needs a tool or not), plus explicit
/// ReAct / JSON format requests, in equal parts. The three plain-text cells are what HScore is computed on.</item>
/// <item><c>tool_use</c>: three quarters queries whose right first call is known (single and multi-step), one
/// quarter queries where tools are offered and no call is right.</item>
/// </list>
/// </summary>
public static class EvaluationSuites
{
    /// <summary>Held-out wordings of the format requests (the training set's wordings are in FormatFollowing).</summary>
    public static IReadOnlyList<string> ReactRequests { get; } =
    [
        "Reply using the ReAct layout: a Thought line, then Action and Action Input lines, and a Final Answer at the end.",
        "Write your answer in ReAct style (Thought, Action, Action Input, Final Answer).",
    ];

    public static IReadOnlyList<string> JsonRequests { get; } =
    [
        "Give your answer as JSON objects only: thought, name and arguments for a tool step, final_answer at the end.",
        "Answer in JSON: one object with thought, name and arguments per step, then one with final_answer.",
    ];

    // Categories draw from disjoint index ranges so that no two categories share a generated conversation.
    private const int Stride = 1_000_000;

    /// <summary>The source name of cases built from the recipe's own held-out conversations.</summary>
    public const string HeldOutSource = "held_out";

    public static IReadOnlyList<EvaluationCase> Build(int seed, int samples, IEnumerable<string> suites)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var cases = new List<EvaluationCase>();
        foreach (var suite in suites.Distinct(StringComparer.Ordinal))
        {
            cases.AddRange(suite switch
            {
                SuiteNames.Hallucination => Hallucination(seed, samples),
                SuiteNames.ToolUse => ToolUse(seed, samples),
                _ => [],
            });
        }

        return cases;
    }

    /// <summary>
    /// Every case an evaluation with these settings meets: the generator's held-out cases, then the cases of each
    /// <c>evaluation.sources</c> file, then those of the recipe's held-out conversations (<c>held_out.fraction</c>,
    /// source name <see cref="HeldOutSource"/>). The compile removes training conversations that overlap them
    /// (<see cref="Queries"/>) and the evaluation asks them: one list for both.
    /// </summary>
    /// <param name="file">The recipe or job file, for the location of a source error.</param>
    public static IReadOnlyList<EvaluationCase> Build(int seed, EvaluationSettings settings, IReadOnlyList<Conversation> heldOut, string? file = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cases = Build(seed, settings.Samples, settings.Suites).ToList();
        foreach (var source in settings.Sources)
        {
            cases.AddRange(SourceCases.Build(source.Name, SourceCases.Read(source, file, cancellationToken), seed, settings.Samples, settings.Suites));
        }

        if (heldOut.Count > 0)
        {
            cases.AddRange(SourceCases.Build(HeldOutSource, heldOut, seed, settings.Samples, settings.Suites));
        }

        return cases;
    }

    /// <summary>
    /// The text training must not overlap (decontamination): every case's query and, with the loss suite, every user
    /// turn of the conversations it scores.
    /// </summary>
    public static IEnumerable<string> Queries(IReadOnlyList<EvaluationCase> cases, int seed, EvaluationSettings settings, IReadOnlyList<Conversation> heldOut)
    {
        var queries = cases.Select(c => c.Query);
        if (!settings.Suites.Contains(SuiteNames.Loss))
        {
            return queries;
        }

        var lossTurns = LossSuite.Conversations(seed, settings.Samples, heldOut)
            .SelectMany(c => c.Conversation.Messages.Where(m => m.Role == Role.User).Select(m => m.Content));
        return queries.Concat(lossTurns);
    }

    public static IReadOnlyList<EvaluationCase> Hallucination(int seed, int samples)
    {
        var per = Split(samples, 5);
        var cases = new List<EvaluationCase>();
        cases.AddRange(Take(seed, 0, SyntheticKind.NoToolNeeded, per[0], c => Plain(c, SuiteNames.Hallucination, SuiteNames.ToolsNoNeed)));
        cases.AddRange(Take(seed, 1, SyntheticKind.NoToolsOffered, per[1], c => Plain(c, SuiteNames.Hallucination, SuiteNames.NoToolsNeed)));
        cases.AddRange(Take(seed, 2, SyntheticKind.GeneralChat, per[2], c => Plain(c, SuiteNames.Hallucination, SuiteNames.NoToolsNoNeed)));
        cases.AddRange(Take(seed, 3, SyntheticKind.SingleCall, per[3], c => CallCase(c, SuiteNames.Hallucination, SuiteNames.ToolsNeed)));
        cases.AddRange(Take(seed, 4, SyntheticKind.SingleCall, per[4], FormatCase));
        return cases;
    }

    public static IReadOnlyList<EvaluationCase> ToolUse(int seed, int samples)
    {
        int noCall = Math.Max(1, samples / 4);
        int calls = Math.Max(0, samples - noCall);
        var cases = new List<EvaluationCase>();
        cases.AddRange(Take(seed, 5, SyntheticKind.SingleCall, calls - (calls / 3), c => CallCase(c, SuiteNames.ToolUse, SuiteNames.Call)));
        cases.AddRange(Take(seed, 6, SyntheticKind.MultiStep, calls / 3, c => CallCase(c, SuiteNames.ToolUse, SuiteNames.Call)));
        cases.AddRange(Take(seed, 7, SyntheticKind.NoToolNeeded, noCall, c => Plain(c, SuiteNames.ToolUse, SuiteNames.NoCall)));
        return cases;
    }

    internal static IEnumerable<Conversation> Generate(int seed, int category, SyntheticKind? kind, int count)
    {
        var options = new SyntheticOptions
        {
            Seed = seed,
            Split = SyntheticSplit.HeldOut,
            KindMix = kind is { } k ? new Dictionary<SyntheticKind, double> { [k] = 1 } : null,
        };
        for (int i = 0; i < count; i++)
        {
            yield return SyntheticCorpus.Create(options, (category * Stride) + i);
        }
    }

    private static IEnumerable<EvaluationCase> Take(int seed, int category, SyntheticKind kind, int count, Func<Conversation, EvaluationCase> build) =>
        Generate(seed, category, kind, count).Select(build);

    private static EvaluationCase Plain(Conversation c, string suite, string category)
    {
        var (prompt, reference) = FirstTurn(c);
        return new(CaseId(category, c), suite, category, prompt, RenderForm.Chat, Expectation.PlainText, null, reference.Content);
    }

    private static EvaluationCase CallCase(Conversation c, string suite, string category)
    {
        var (prompt, reference) = FirstTurn(c);
        return new(CaseId(category, c), suite, category, prompt, RenderForm.Chat, Expectation.Call, reference.ToolCalls[0], Describe(reference.ToolCalls[0]));
    }

    private static EvaluationCase FormatCase(Conversation c)
    {
        var (prompt, reference) = FirstTurn(c);
        var index = c.Provenance.Index;
        var react = index % 2 == 0;
        var requests = react ? ReactRequests : JsonRequests;
        var request = requests[(index / 2) % requests.Count];
        var messages = prompt.Messages.ToList();
        messages[^1] = messages[^1] with { Content = messages[^1].Content + "\n\n" + request };
        return new(
            CaseId(SuiteNames.FormatRequest, c),
            SuiteNames.Hallucination,
            SuiteNames.FormatRequest,
            prompt with { Messages = messages },
            react ? RenderForm.React : RenderForm.Json,
            react ? Expectation.ReactFormat : Expectation.JsonFormat,
            reference.ToolCalls[0],
            Describe(reference.ToolCalls[0]));
    }

    /// <summary>The prompt up to the first assistant turn, and that turn.</summary>
    private static (Conversation Prompt, Message Reference) FirstTurn(Conversation c)
    {
        int first = 0;
        while (c.Messages[first].Role != Role.Assistant)
        {
            first++;
        }

        return (c with { Messages = [.. c.Messages.Take(first)] }, c.Messages[first]);
    }

    /// <summary><c>category#set-index</c>: the set number keeps two sets of one category (single and multi-step calls) apart.</summary>
    private static string CaseId(string category, Conversation c) => $"{category.Replace('/', '.')}#{c.Provenance.Index / Stride}-{c.Provenance.Index % Stride:D4}";

    private static string Describe(ToolCall call) => call.Name + " " + JsonText.Compact(call.Arguments);

    private static int[] Split(int total, int parts)
    {
        var result = new int[parts];
        for (int i = 0; i < parts; i++)
        {
            result[i] = (total / parts) + (i < total % parts ? 1 : 0);
        }

        return result;
    }
}
