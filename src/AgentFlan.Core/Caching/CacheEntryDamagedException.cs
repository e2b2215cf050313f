namespace AgentFlan.Caching;

/// <summary>
/// A cache entry read while streaming (<see cref="StageCache.OpenStreaming"/>) turned out damaged: it was deleted
/// and reported (AFB3001). Whoever read it must drop what it derived from it and build it again.
/// </summary>
public sealed class CacheEntryDamagedException : Exception
{
    public CacheEntryDamagedException()
        : this("A cache entry failed its integrity check.")
    {
    }

    public CacheEntryDamagedException(string message)
        : base(message)
    {
    }

    public CacheEntryDamagedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The entry's file (already deleted).</summary>
    public string? Path { get; private init; }

    internal static CacheEntryDamagedException For(string path, Exception? cause) =>
        new($"Cache entry '{path}' failed its integrity check; it was removed and is rebuilt.", cause) { Path = path };
}
