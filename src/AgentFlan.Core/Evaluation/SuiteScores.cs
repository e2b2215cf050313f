namespace AgentFlan.Evaluation;

/// <summary>A suite's named scores (shares in [0, 1], NaN when no case counts) and its case counts.</summary>
public sealed record SuiteScores(string Suite, IReadOnlyDictionary<string, double> Scores, IReadOnlyDictionary<string, int> Counts);
