using System.Text.Json.Nodes;
using AgentFlan.Templates;

namespace AgentFlan.Evaluation;

/// <summary>
/// The scores, as pure functions of the responses. Agent-H (DESIGN.md §1), on cases whose right answer is plain
/// text: H_ReAct = share of responses with a ReAct keyword, H_General = share with a tool-intent phrase,
/// HScore = ½((1 − H_ReAct) + (1 − H_General)). Tool use, on cases whose right first call is known: the share whose
/// first call names the right tool, has arguments that parse as a JSON object, and has exactly the right
/// arguments (JSON equality); and on cases where no call is right, the share with no call.
/// </summary>
public static class Scoring
{
    public static double HReact(IEnumerable<string> responses, HallucinationKeywords keywords) => Share(responses, keywords.HasReact);

    public static double HGeneral(IEnumerable<string> responses, HallucinationKeywords keywords) => Share(responses, keywords.HasGeneral);

    public static double HScore(double hReact, double hGeneral) => 0.5 * ((1 - hReact) + (1 - hGeneral));

    /// <summary>Scores one response against its case.</summary>
    public static CaseResult Score(EvaluationCase c, string response, ToolSyntax syntax, HallucinationKeywords keywords, bool finished = true, int generatedTokens = 0)
    {
        var calls = ToolCallParser.Parse(response, syntax);
        var first = calls.Count > 0 ? calls[0] : null;
        var expected = c.ExpectedCall;
        return new CaseResult
        {
            Id = c.Id,
            Suite = c.Suite,
            Category = c.Category,
            Expect = c.Expect,
            Query = c.Query,
            Reference = c.Reference,
            Response = response,
            Finished = finished,
            GeneratedTokens = generatedTokens,
            Calls = [.. calls.Select(x => x.ArgumentsValid ? x.Name : x.Name + "(invalid)")],
            ReactKeyword = keywords.HasReact(response),
            GeneralKeyword = keywords.HasGeneral(response),
            ToolNameCorrect = expected is not null && first?.Name == expected.Name,
            ArgumentsValid = first?.ArgumentsValid == true,
            ArgumentsExact = expected is not null && first?.Arguments is { } args && JsonNode.DeepEquals(args, expected.Arguments),
            FormatFollowed = c.Expect switch
            {
                Expectation.ReactFormat => calls.Any(x => x.Syntax == "react") || response.TrimStart().StartsWith("Thought:", StringComparison.Ordinal),
                Expectation.JsonFormat => response.TrimStart().StartsWith('{') && calls.Any(x => x.Syntax == "json" && x.ArgumentsValid),
                _ => false,
            },
        };
    }

    /// <summary>
    /// Scores stored responses again with the current scorer (results.json keeps every response), so a changed
    /// keyword list or parser never needs the model to generate again. Cases are matched by suite and id.
    /// </summary>
    public static EvaluationResults Rescore(EvaluationResults results, IReadOnlyList<EvaluationCase> cases, ToolSyntax syntax, HallucinationKeywords keywords)
    {
        var byId = cases.ToDictionary(c => (c.Suite, c.Id));
        var rescored = results.Cases
            .Select(r => byId.TryGetValue((r.Suite, r.Id), out var c) ? Score(c, r.Response, syntax, keywords, r.Finished, r.GeneratedTokens) : r)
            .ToList();
        return results with
        {
            Cases = rescored,
            Suites = [.. results.Suites.Select(s => Summarize(s.Suite, rescored))],
        };
    }

    /// <summary>Aggregates results into the named scores of each suite (shares in [0, 1]; NaN where a score has no case).</summary>
    public static SuiteScores Summarize(string suite, IReadOnlyList<CaseResult> results)
    {
        var mine = results.Where(r => r.Suite == suite).ToList();
        var plain = mine.Where(r => r.Expect == Expectation.PlainText).ToList();
        var calls = mine.Where(r => r.Expect == Expectation.Call).ToList();
        var formats = mine.Where(r => r.Expect is Expectation.ReactFormat or Expectation.JsonFormat).ToList();
        var scores = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (suite == SuiteNames.Hallucination)
        {
            double hReact = Share(plain, r => r.ReactKeyword), hGeneral = Share(plain, r => r.GeneralKeyword);
            scores["h_react"] = hReact;
            scores["h_general"] = hGeneral;
            scores["hscore"] = HScore(hReact, hGeneral);
            scores["h_call"] = Share(plain, r => r.Calls.Count > 0);
            scores["call_rate_when_needed"] = Share(calls, r => r.Calls.Count > 0);
            scores["format_following"] = Share(formats, r => r.FormatFollowed);
            counts["plain_text"] = plain.Count;
            counts["call_needed"] = calls.Count;
            counts["format_request"] = formats.Count;
        }
        else
        {
            var noCall = plain;
            scores["tool_name_accuracy"] = Share(calls, r => r.ToolNameCorrect);
            scores["argument_json_validity"] = Share(calls, r => r.ArgumentsValid);
            scores["argument_exact_match"] = Share(calls, r => r.ArgumentsExact);
            scores["no_call_accuracy"] = Share(noCall, r => r.Calls.Count == 0);
            counts["call"] = calls.Count;
            counts["no_call"] = noCall.Count;
        }

        scores["finished"] = Share(mine, r => r.Finished);
        return new SuiteScores(suite, scores, counts);
    }

    private static double Share<T>(IEnumerable<T> items, Func<T, bool> predicate)
    {
        int total = 0, hits = 0;
        foreach (var item in items)
        {
            total++;
            hits += predicate(item) ? 1 : 0;
        }

        return total == 0 ? double.NaN : (double)hits / total;
    }
}
