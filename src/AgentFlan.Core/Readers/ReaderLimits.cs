namespace AgentFlan.Readers;

/// <summary>Bounds that keep a reader's memory flat whatever its input.</summary>
public static class ReaderLimits
{
    /// <summary>A single record (JSON Lines line or array element) larger than this is rejected.</summary>
    public const int MaxRecordBytes = 256 << 20;

    /// <summary>The raw text kept with a rejected record is cut to this many characters.</summary>
    public const int MaxRawChars = 64 << 10;
}
