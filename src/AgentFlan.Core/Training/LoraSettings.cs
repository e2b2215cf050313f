namespace AgentFlan.Training;

/// <summary>Low-rank adapters: rank, scaling alpha, dropout and the projections they wrap.</summary>
public sealed record LoraSettings
{
    public int Rank { get; init; } = 8;

    public double Alpha { get; init; } = 16;

    public double Dropout { get; init; } = 0.05;

    public IReadOnlyList<string> Targets { get; init; } = ["q_proj", "v_proj"];
}
