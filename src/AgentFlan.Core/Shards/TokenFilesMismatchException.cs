namespace AgentFlan.Shards;

/// <summary>
/// A segment that reused token files (<see cref="ShardSetWriter.ReuseTokens"/>) packed other rows than they hold:
/// its capability weights left out another set of samples. The compile starts again and writes the token files.
/// </summary>
public sealed class TokenFilesMismatchException : Exception
{
    public TokenFilesMismatchException()
    {
    }

    public TokenFilesMismatchException(string message)
        : base(message)
    {
    }

    public TokenFilesMismatchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
