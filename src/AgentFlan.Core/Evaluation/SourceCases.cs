using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Readers;
using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Transforms;

namespace AgentFlan.Evaluation;

/// <summary>
/// Evaluation cases from conversations that someone else wrote: an <c>evaluation.sources</c> file (for example
/// glaive-function-calling-v2 on disk) or the recipe's own held-out conversations. A conversation's prompt is
/// everything before its first assistant turn, and that turn decides the case:
/// <list type="bullet">
/// <item>tools offered and the turn calls one: hallucination <c>tools_offered/tool_needed</c> and tool_use
/// <c>call</c>, with the known call (name and arguments) as the reference;</item>
/// <item>tools offered and a plain answer: hallucination <c>tools_offered/no_tool_needed</c> and tool_use
/// <c>no_call</c> (no call is right);</item>
/// <item>no tools offered: hallucination <c>no_tools</c> (plain text is right; whether the query needs a tool is
/// not known).</item>
/// </list>
/// Conversations are ranked by a hash of (seed, source, id), and each suite takes the first <c>samples</c> that give
/// it a case, so the same file and seed always give the same cases. Categories are prefixed with the source name
/// (<c>glaive:tools_offered/tool_needed</c>), so the report keeps them apart from the generator's.
/// </summary>
public static class SourceCases
{
    /// <summary>No tools offered and plain text is right (whether a tool would be needed is not known).</summary>
    public const string NoTools = "no_tools";

    public static IReadOnlyList<EvaluationCase> Build(string source, IEnumerable<Conversation> conversations, int seed, int samples, IEnumerable<string> suites)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var ranked = StableRandom.Rank(conversations, c => c.Id, seed, "evaluation:" + source);
        var cases = new List<EvaluationCase>();
        foreach (var suite in suites.Distinct(StringComparer.Ordinal).Where(s => s is SuiteNames.Hallucination or SuiteNames.ToolUse))
        {
            cases.AddRange(ranked.Select(c => Case(source, suite, c)).OfType<EvaluationCase>().Take(samples));
        }

        return cases;
    }

    /// <summary>The case a conversation gives a suite, or null when its form allows none.</summary>
    public static EvaluationCase? Case(string source, string suite, Conversation conversation)
    {
        int first = 0;
        while (first < conversation.Messages.Count && conversation.Messages[first].Role != Role.Assistant)
        {
            first++;
        }

        if (first == conversation.Messages.Count || !conversation.Messages.Take(first).Any(m => m.Role == Role.User))
        {
            return null;
        }

        var prompt = conversation with { Messages = [.. conversation.Messages.Take(first)] };
        var answer = conversation.Messages[first];
        var call = answer.ToolCalls.Count > 0 ? answer.ToolCalls[0] : null;
        var offered = conversation.Tools.Count > 0;
        string? category = (suite, offered, call is not null) switch
        {
            (SuiteNames.Hallucination, true, true) => SuiteNames.ToolsNeed,
            (SuiteNames.Hallucination, true, false) => SuiteNames.ToolsNoNeed,
            (SuiteNames.Hallucination, false, false) => NoTools,
            (SuiteNames.ToolUse, true, true) => SuiteNames.Call,
            (SuiteNames.ToolUse, true, false) => SuiteNames.NoCall,
            _ => null,
        };
        if (category is null || (call is null && answer.Content.Trim().Length == 0))
        {
            return null;
        }

        var name = $"{source}:{category}";
        var id = $"{source}:{category.Replace('/', '.')}#{conversation.Id}";
        return call is null
            ? new EvaluationCase(id, suite, name, prompt, RenderForm.Chat, Expectation.PlainText, null, answer.Content)
            : new EvaluationCase(id, suite, name, prompt, RenderForm.Chat, Expectation.Call, call, call.Name + " " + JsonText.Compact(call.Arguments));
    }

    /// <summary>
    /// The accepted conversations of an evaluation source (rejected records are skipped: the file is not training
    /// data). A missing file, or one with no usable conversation, is error AFB6003 naming the path.
    /// </summary>
    public static IReadOnlyList<Conversation> Read(SourceSettings source, string? file, CancellationToken cancellationToken = default)
    {
        var reader = SourceReaders.Find(source.Format)
            ?? throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.UnknownName, $"Evaluation source '{source.Name}': format '{source.Format}' has no reader.", file));
        var paths = source.Path is null ? [] : SourcePaths.Expand(source.Path);
        if (paths.Count == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationSourceUnreadable,
                $"Evaluation source '{source.Name}' ({source.Format}): '{source.Path}' does not exist. Put the file there or remove it from 'evaluation.sources'.", file));
        }

        var conversations = new List<Conversation>();
        long read = 0;
        foreach (var path in paths)
        {
            foreach (var result in reader.Read(path, source.Name, cancellationToken))
            {
                read++;
                if (result is AcceptedRecord accepted)
                {
                    conversations.Add(accepted.Conversation);
                }
            }
        }

        if (conversations.Count == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationSourceUnreadable,
                $"Evaluation source '{source.Name}' ({source.Format}): '{source.Path}' yielded no conversation from {read} records; is it a {source.Format} file?", file));
        }

        return conversations;
    }
}
