namespace AgentFlan.Writers;

/// <summary>
/// One record the writer damaged on purpose. <see cref="Expected"/> is what a robust reader should do with
/// it: "repair" (the defect has one unambiguous reading), "reject" (quarantine with a reason) or "accept" (a
/// legal variant of real copies, read as is).
/// <see cref="Location"/> is "line N" (JSON Lines), "index N" (JSON arrays) or the file name (ToolBench).
/// </summary>
public sealed record InjectedDefect(int Index, string RecordId, string Defect, string Expected, string Location);
