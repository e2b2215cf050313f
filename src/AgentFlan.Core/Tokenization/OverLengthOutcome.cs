namespace AgentFlan.Tokenization;

/// <summary>What the over-length policy did to one sample.</summary>
public enum OverLengthOutcome
{
    /// <summary>The sample fits; it is unchanged.</summary>
    Fits,

    /// <summary>The sample was truncated to fit.</summary>
    Truncated,

    /// <summary>The sample was left out (policy <c>drop</c>, or truncation found no cut outside a tool call).</summary>
    Dropped,

    /// <summary>The sample is too long and the policy is <c>error</c>: the compile fails with AFB2002.</summary>
    TooLong,
}
