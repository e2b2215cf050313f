using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>One conversation and its tokenized document, before capability weights and the over-length policy.</summary>
public readonly record struct TokenizeResult(Conversation Conversation, TokenizedDocument Document);
