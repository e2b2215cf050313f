using ScottPlot;

namespace AgentFlan.Charts;

/// <summary>
/// Draws chart specs with ScottPlot 5 (on SkiaSharp): grouped bars with optional whiskers, histograms, and lines.
/// One look for every chart of the product: white background, the Category10 palette, the font of
/// <see cref="ChartFont"/>. Rendering the same spec twice gives the same bytes.
/// </summary>
public sealed class ScottPlotRenderer : IChartRenderer
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>One chart at a time in the process: a renderer getting ready in the background never draws beside another one.</summary>
    private static readonly Lock Drawing = new();

    private readonly Task _warmUp;

    /// <summary>A renderer that gets ready in the background (see <see cref="ScottPlotRenderer(bool)"/>).</summary>
    public ScottPlotRenderer()
        : this(warmUp: true)
    {
    }

    /// <param name="warmUp">
    /// Whether to get ready on a background thread now: resolve the font, load the native library and run the
    /// drawing code once on a small chart that is thrown away, so that the first real chart (typically drawn after
    /// a compile's other work) does not pay about 0.1 s for that. The first <see cref="RenderPng"/> waits for it;
    /// the charts drawn are the same bytes either way.
    /// </param>
    public ScottPlotRenderer(bool warmUp)
    {
        _warmUp = warmUp ? Task.Run(WarmUp) : Task.CompletedTask;
    }

    public string Description
    {
        get
        {
            _warmUp.Wait();
            return $"ScottPlot {typeof(Plot).Assembly.GetName().Version?.ToString(3)}, {ChartFont.Current.Description}";
        }
    }

    public byte[] RenderPng(ChartSpec chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        _warmUp.Wait();
        return Render(chart);
    }

    /// <summary>Draws a small bar chart and a histogram, text included, and encodes them; a failure is left for the real charts to report.</summary>
    private static void WarmUp()
    {
        try
        {
            _ = ChartFont.Current;
            Render(new BarChartSpec { Name = "warm-up", Title = "warm-up", XLabel = "x", YLabel = "y", Width = 96, Height = 64, Categories = ["a", "b"], Series = [new("s", [1, 2]), new("t", [2, 1])] });
            Render(new HistogramSpec { Name = "warm-up", Title = "warm-up", Width = 96, Height = 64, Bins = [new(0, 1, 1), new(1, 2, 2)] });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The native library or the font may be missing: drawing a real chart fails the same way, and says so.
        }
    }

    private static byte[] Render(ChartSpec chart)
    {
        lock (Drawing)
        {
            return Draw(chart);
        }
    }

    private static byte[] Draw(ChartSpec chart)
    {
        if (chart.Width < 16 || chart.Height < 16)
        {
            throw new ArgumentException($"Chart '{chart.Name}' is {chart.Width}×{chart.Height} pixels; at least 16×16 is needed.", nameof(chart));
        }

        var plot = new Plot();
        plot.Font.Set(ChartFont.Current.Family);
        plot.Title(chart.Title, size: 16);
        plot.XLabel(chart.XLabel, size: 13);
        plot.YLabel(chart.YLabel, size: 13);
        switch (chart)
        {
            case BarChartSpec bars:
                DrawBars(plot, bars);
                break;
            case HistogramSpec histogram:
                DrawHistogram(plot, histogram);
                break;
            case LineChartSpec lines:
                DrawLines(plot, lines);
                break;
            default:
                throw new NotSupportedException($"No drawing for chart type {chart.GetType().Name}.");
        }

        return plot.GetImageBytes(chart.Width, chart.Height, ImageFormat.Png);
    }

    private static void DrawBars(Plot plot, BarChartSpec spec)
    {
        int series = spec.Series.Count;
        double slot = 0.8 / Math.Max(1, series);
        var bars = new List<Bar>();
        var whiskers = new List<(double X, double Y, double Error)>();
        for (int s = 0; s < series; s++)
        {
            var color = Palette.GetColor(s);
            var values = spec.Series[s].Values;
            var errors = spec.Series[s].Errors;
            for (int c = 0; c < spec.Categories.Count && c < values.Count; c++)
            {
                if (!double.IsFinite(values[c]))
                {
                    continue;
                }

                double position = c - 0.4 + (slot * (s + 0.5));
                bars.Add(new Bar { Position = position, Value = values[c], Size = slot * 0.9, FillColor = color, LineWidth = 0, Label = Number(values[c]) });
                if (errors is not null && c < errors.Count && double.IsFinite(errors[c]) && errors[c] > 0)
                {
                    whiskers.Add((position, values[c], errors[c]));
                }
            }
        }

        // Each bar carries its value, so a zero or a small bar still reads.
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = bars.Count > 24 ? 9 : 11;
        if (whiskers.Count > 0)
        {
            var lines = plot.Add.ErrorBar([.. whiskers.Select(w => w.X)], [.. whiskers.Select(w => w.Y)], [.. whiskers.Select(w => w.Error)]);
            lines.Color = Colors.Black;
            lines.LineWidth = 1.5f;
        }
        var positions = Enumerable.Range(0, spec.Categories.Count).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. spec.Categories.Select(c => Wrap(c, Math.Max(8, (spec.Width - 160) / Math.Max(1, spec.Categories.Count) / 7)))]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsX(-0.6, spec.Categories.Count - 0.4);
        if (spec.ValueMax is { } max)
        {
            // Headroom above the limit for the value labels of full bars.
            plot.Axes.SetLimitsY(0, max * 1.08);
        }

        if (series > 1)
        {
            foreach (var (item, i) in spec.Series.Select((item, i) => (item, i)))
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = item.Name, FillColor = Palette.GetColor(i) });
            }

            // Beside the plot, never over a bar.
            plot.ShowLegend(Edge.Right);
        }
    }

    private static string Number(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture) : value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Breaks a category name into lines of about <paramref name="width"/> characters at spaces (and at given line breaks).</summary>
    internal static string Wrap(string text, int width)
    {
        var lines = new List<string>();
        foreach (var given in text.Split('\n'))
        {
            var line = "";
            foreach (var word in given.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line);
                    line = word;
                }
                else
                {
                    line = line.Length == 0 ? word : line + " " + word;
                }
            }

            lines.Add(line);
        }

        return string.Join('\n', lines);
    }

    private static void DrawHistogram(Plot plot, HistogramSpec spec)
    {
        var color = Palette.GetColor(0);
        plot.Add.Bars(spec.Bins.Select(b => new Bar
        {
            Position = (b.From + b.To) / 2,
            Value = b.Count,
            Size = b.To - b.From,
            FillColor = color,
            LineColor = Colors.White,
            LineWidth = 1,
        }).ToList());
        if (spec.Bins.Count > 0)
        {
            double[] edges = [spec.Bins[0].From, .. spec.Bins.Select(b => b.To)];
            plot.Axes.Bottom.SetTicks(edges, [.. edges.Select(e => FormattableString.Invariant($"{e:0.##}"))]);
            plot.Axes.SetLimitsX(spec.Bins[0].From, spec.Bins[^1].To);
        }

        plot.Axes.Margins(bottom: 0);
    }

    private static void DrawLines(Plot plot, LineChartSpec spec)
    {
        for (int s = 0; s < spec.Series.Count; s++)
        {
            var line = spec.Series[s];
            var color = Palette.GetColor(s);
            if (line.X.Count == 0)
            {
                continue;
            }

            double[] xs = [.. line.X], ys = [.. line.Y];
            var scatter = plot.Add.ScatterLine(xs, ys, line.Emphasis ? color : color.WithAlpha(0.45));
            scatter.LineWidth = line.Emphasis ? 2.5f : 1f;
            scatter.LegendText = line.Name;
            if (line.Errors is { } errors)
            {
                var bars = plot.Add.ErrorBar(xs, ys, [.. errors]);
                bars.Color = color;
            }
        }

        if (spec.Series.Count > 1)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }
    }

}
