namespace AgentFlan.Evaluation;

/// <summary>
/// One case, answered and scored. <see cref="Calls"/> are the calls found in <see cref="Response"/>; the flags
/// are what the suite scores count (<see cref="Scoring"/> computes them from the response alone).
/// </summary>
public sealed record CaseResult
{
    public required string Id { get; init; }

    public required string Suite { get; init; }

    public required string Category { get; init; }

    public required Expectation Expect { get; init; }

    public required string Query { get; init; }

    public required string Reference { get; init; }

    public required string Response { get; init; }

    /// <summary>Whether generation stopped at the end-of-turn marker (false: the token bound cut it).</summary>
    public bool Finished { get; init; }

    public int GeneratedTokens { get; init; }

    /// <summary>Names of the calls found, in order (<c>name</c>, or <c>name(invalid)</c> when the arguments did not parse).</summary>
    public IReadOnlyList<string> Calls { get; init; } = [];

    public bool ReactKeyword { get; init; }

    public bool GeneralKeyword { get; init; }

    public bool ToolNameCorrect { get; init; }

    public bool ArgumentsValid { get; init; }

    public bool ArgumentsExact { get; init; }

    public bool FormatFollowed { get; init; }

    /// <summary>Scored as a hallucination: a plain-text case with ReAct keywords, tool-intent phrases or a call.</summary>
    public bool Hallucinated => Expect == Expectation.PlainText && (ReactKeyword || GeneralKeyword || Calls.Count > 0);
}
