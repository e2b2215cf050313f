using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>
/// A record that could not become a conversation: where it is, why (<paramref name="Reason"/>, one
/// sentence, stable enough to group by), a code from <see cref="ReaderCodes"/>, and the raw record text
/// (capped at <see cref="ReaderLimits.MaxRawChars"/> characters) for the quarantine file.
/// </summary>
public sealed record RejectedRecord(Provenance Where, string Reason, string Code, string Raw) : ReadResult;
