namespace AgentFlan.Recipes;

/// <summary>
/// Step 1 of Agent-FLAN: how agent trajectories are aligned to chat. The paper keeps about 10% in ReAct form
/// and adds 2–3k explicit format-following samples (ReAct or JSON, balanced).
/// </summary>
public sealed record AlignmentSettings
{
    public double ReactFraction { get; init; } = 0.1;

    public int FormatFollowingCount { get; init; }

    public IReadOnlyList<string> FormatFollowingFormats { get; init; } = ["react", "json"];
}

/// <summary>
/// Step 2: capability weights. Policy <c>segment</c>: a weight is the probability that a segment of that
/// capability stays supervised; <c>sample</c>: the probability that a sample whose main capability it is
/// stays in the mix. Defaults are the paper's text (reasoning : retrieval : understanding = 1 : 0.25 : 0.75).
/// </summary>
public sealed record CapabilitySettings
{
    public string Policy { get; init; } = "segment";

    public double Reasoning { get; init; } = 1.0;

    public double Retrieval { get; init; } = 0.25;

    public double Understanding { get; init; } = 0.75;

    public double InstructionFollowing { get; init; } = 1.0;
}

/// <summary>Step 3: negative samples that teach when not to call a tool (count or ratio of agent samples).</summary>
public sealed record NegativeSettings
{
    public int Count { get; init; }

    public double Ratio { get; init; }

    public IReadOnlyList<string> Kinds { get; init; } = ["no_tools", "irrelevant_tools"];

    public int ToolsPerSample { get; init; } = 3;

    /// <summary>Name of a recipe source whose conversations are user-provided negatives.</summary>
    public string? Source { get; init; }
}

/// <summary>How sources are mixed: general chat to agent data (paper 1:1; 0 keeps what the sources give) and budgets.</summary>
public sealed record MixingSettings
{
    public double GeneralRatio { get; init; }

    public long MaxSamples { get; init; }

    public long MaxTokens { get; init; }
}

public enum MaskingPolicy
{
    /// <summary>Every assistant turn whose loss flag is set.</summary>
    AllAssistant,

    /// <summary>Only the last assistant turn of each sample.</summary>
    LastAssistant,
}

/// <summary>Which tokens carry loss.</summary>
public sealed record MaskingSettings
{
    public MaskingPolicy Policy { get; init; } = MaskingPolicy.AllAssistant;

    /// <summary>Whether the assistant's end-of-turn marker is supervised (the model must learn to stop).</summary>
    public bool EndOfTurn { get; init; } = true;
}

/// <summary>Conversations set aside for evaluation, chosen by a hash of their id (stable whatever the order).</summary>
public sealed record HeldOutSettings
{
    /// <summary>Share of every source's conversations held out of training for the evaluation (<c>HeldOutSplit</c>).</summary>
    public double Fraction { get; init; }

    /// <summary>
    /// Word n-gram size for decontamination: a training conversation is removed when one of its user turns shares
    /// at least <see cref="DecontaminationThreshold"/> of its n-grams with the evaluation queries. 0 turns it off.
    /// </summary>
    public int DecontaminationNgram { get; init; } = 8;

    public double DecontaminationThreshold { get; init; } = 0.5;
}

/// <summary>Evaluation suites run by <c>-t:Evaluate</c>.</summary>
public sealed record EvaluationSettings
{
    public IReadOnlyList<string> Suites { get; init; } = ["hallucination", "tool_use"];

    public int Samples { get; init; } = 200;

    public int MaxNewTokens { get; init; } = 128;

    /// <summary>
    /// Files read with a source format (for example glaive-function-calling-v2) whose conversations become extra
    /// hallucination and tool_use cases; paths are absolute once loaded.
    /// </summary>
    public IReadOnlyList<SourceSettings> Sources { get; init; } = [];
}
