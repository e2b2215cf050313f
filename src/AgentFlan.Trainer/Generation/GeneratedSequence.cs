namespace AgentFlan.Trainer.Generation;

/// <summary>The new tokens (model id space) generated after one prompt, and whether a stop condition ended them.</summary>
public sealed record GeneratedSequence(IReadOnlyList<int> Tokens, bool Finished);
