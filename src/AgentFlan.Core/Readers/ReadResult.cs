namespace AgentFlan.Readers;

/// <summary>
/// What a reader yields for each record: an <see cref="AcceptedRecord"/> (possibly repaired) or a
/// <see cref="RejectedRecord"/>. Records read = accepted + repaired + rejected, always.
/// </summary>
public abstract record ReadResult
{
    private protected ReadResult()
    {
    }
}
