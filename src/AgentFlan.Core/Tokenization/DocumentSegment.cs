using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>One template segment's tokens [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) in a <see cref="TokenizedDocument"/>.</summary>
public readonly record struct DocumentSegment(int Start, int Length, Capability Capability, bool Supervised);
