namespace AgentFlan.Charts;

/// <summary>
/// One line of a <see cref="LineChartSpec"/>. <see cref="Emphasis"/> draws it bold and opaque (a smoothed
/// curve), otherwise thin and light (the raw values under it); <see cref="Errors"/> adds vertical whiskers.
/// </summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Emphasis = false, IReadOnlyList<double>? Errors = null);
