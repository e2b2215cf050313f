using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>
/// A record that became a conversation. <see cref="Repairs"/> lists the defects that had one unambiguous
/// reading and were fixed on the way; a record with at least one repair counts as repaired, not accepted.
/// </summary>
public sealed record AcceptedRecord(Conversation Conversation) : ReadResult
{
    public IReadOnlyList<Repair> Repairs { get; init; } = [];

    public bool IsRepaired => Repairs.Count > 0;
}
