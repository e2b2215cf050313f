namespace AgentFlan.Charts;

/// <summary>
/// One bar per category of a <see cref="BarChartSpec"/>, in category order. A NaN value leaves its bar out;
/// <see cref="Errors"/>, when given, is the half-length of each bar's whisker (± one standard deviation, say).
/// </summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Errors = null);
