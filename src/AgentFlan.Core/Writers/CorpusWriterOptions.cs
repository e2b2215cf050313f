namespace AgentFlan.Writers;

/// <summary>How <see cref="CorpusWriter"/> writes: clean, or with the documented defects of real files injected.</summary>
public sealed record CorpusWriterOptions
{
    /// <summary>Damage a share of the records the way real files are damaged (for reader robustness tests).</summary>
    public bool InjectDefects { get; init; }

    /// <summary>The share of records that get a defect when <see cref="InjectDefects"/> is on.</summary>
    public double DefectRate { get; init; } = 0.15;

    /// <summary>Seeds which records are damaged and how; the same seed damages the same records.</summary>
    public int Seed { get; init; }
}
