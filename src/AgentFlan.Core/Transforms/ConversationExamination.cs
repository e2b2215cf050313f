using AgentFlan.Hashing;

namespace AgentFlan.Transforms;

/// <summary>
/// What the plan's first pass needs from a conversation's text: its exact-duplicate key (<see cref="Deduplicator"/>)
/// and, when held-out queries are known before reading, whether it overlaps them (<see cref="Decontaminator"/>). A pure
/// function of the conversation, so it may be computed on any thread (<see cref="Compilation.SourceRun.Examine"/>).
/// </summary>
public readonly record struct ConversationExamination(Digest128 DuplicateKey, bool Contaminated);
