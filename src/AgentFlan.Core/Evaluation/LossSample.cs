using AgentFlan.Tokenization;

namespace AgentFlan.Evaluation;

/// <summary>A held-out conversation of the loss suite, tokenized, and the set it came from.</summary>
public sealed record LossSample(string Set, TokenizedSample Sample);
