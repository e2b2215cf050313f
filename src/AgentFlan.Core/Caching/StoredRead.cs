using AgentFlan.Compilation;

namespace AgentFlan.Caching;

/// <summary>What a read entry records besides its conversations.</summary>
/// <param name="Reasons">The top rejection reasons with their first locations, for the tolerance error.</param>
/// <param name="Quarantine">The quarantine file's text, when records were rejected.</param>
public sealed record StoredRead(SourceStatistics Statistics, string Reasons, string? Quarantine);
