using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>One conversation after tokenization and the over-length policy: the sample to pack (null when dropped or too long) and what happened.</summary>
public readonly record struct TokenizeResult(Conversation Conversation, TokenizedSample? Sample, OverLengthOutcome Outcome);
