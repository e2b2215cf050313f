namespace AgentFlan.Writers;

/// <summary>What a write produced: the record count, the files written, and every defect injected.</summary>
public sealed record CorpusWriteResult(int Records, IReadOnlyList<string> Files, IReadOnlyList<InjectedDefect> Defects);
