namespace AgentFlan.Evaluation;

/// <summary>One row of the loss table: supervised tokens, their mean cross-entropy (nats) and its perplexity (NaN when no token).</summary>
public sealed record LossRow(string Name, long Tokens, double MeanLoss, double Perplexity);
