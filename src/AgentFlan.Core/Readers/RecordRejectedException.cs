namespace AgentFlan.Readers;

/// <summary>Thrown by mappers, deep in a record, to reject it; the reader turns it into a <see cref="RejectedRecord"/>.</summary>
internal sealed class RecordRejectedException : Exception
{
    public RecordRejectedException(string code, string reason)
        : base(reason)
    {
        Code = code;
    }

    public RecordRejectedException()
        : this(ReaderCodes.ReaderFault, "rejected")
    {
    }

    public RecordRejectedException(string message)
        : this(ReaderCodes.ReaderFault, message)
    {
    }

    public RecordRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ReaderCodes.ReaderFault;
    }

    public string Code { get; }
}
