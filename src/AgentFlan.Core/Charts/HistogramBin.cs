namespace AgentFlan.Charts;

/// <summary>One bin of a <see cref="HistogramSpec"/>: values above <see cref="From"/> up to <see cref="To"/>.</summary>
public sealed record HistogramBin(double From, double To, double Count);
