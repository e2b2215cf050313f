namespace AgentFlan.Evaluation;

/// <summary>
/// Whether any evaluation case leaked into the training set: a case's query (its last user turn) found verbatim in
/// the training text, or a case's id among the training conversations' ids.
/// </summary>
public sealed record Decontamination(int Cases, int QueriesFoundInTraining, IReadOnlyList<string> Examples, long TrainingCharacters)
{
    public bool Clean => QueriesFoundInTraining == 0;

    /// <summary>Checks every case's query against <paramref name="trainingText"/> (the decoded training documents).</summary>
    public static Decontamination Check(IReadOnlyList<EvaluationCase> cases, string trainingText, int maxExamples = 5)
    {
        var found = new List<string>();
        int hits = 0;
        foreach (var query in cases.Select(c => BaseQuery(c)).Distinct(StringComparer.Ordinal))
        {
            if (query.Length > 0 && trainingText.Contains(query, StringComparison.Ordinal))
            {
                hits++;
                if (found.Count < maxExamples)
                {
                    found.Add(query);
                }
            }
        }

        return new Decontamination(cases.Count, hits, found, trainingText.Length);
    }

    /// <summary>The query without an appended format request (the request wordings are the evaluation's own).</summary>
    private static string BaseQuery(EvaluationCase c)
    {
        var query = c.Query;
        if (c.Expect is Expectation.ReactFormat or Expectation.JsonFormat)
        {
            int cut = query.LastIndexOf("\n\n", StringComparison.Ordinal);
            query = cut > 0 ? query[..cut] : query;
        }

        return query;
    }
}
