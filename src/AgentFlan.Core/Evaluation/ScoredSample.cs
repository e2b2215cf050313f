using AgentFlan.Conversations;

namespace AgentFlan.Evaluation;

/// <summary>
/// The per-token losses of one held-out sample: each supervised target token's capability and its cross-entropy
/// (nats), in the same order.
/// </summary>
public sealed record ScoredSample(string Set, string Kind, IReadOnlyList<Capability> Capabilities, IReadOnlyList<double> Losses);
