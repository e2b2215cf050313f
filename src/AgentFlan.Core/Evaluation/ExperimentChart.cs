using System.Globalization;
using System.Security;
using System.Text;

namespace AgentFlan.Evaluation;

/// <summary>
/// The comparison as an SVG bar chart (text, so it needs no drawing library): one group per headline score, one
/// bar per recipe at its mean over seeds, a whisker of ± one standard deviation.
/// </summary>
public static class ExperimentChart
{
    private static readonly string[] Colors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"];

    public static string Svg(IReadOnlyList<(string Recipe, EvaluationResults Results)> runs)
    {
        var recipes = runs.Select(r => r.Recipe).Distinct().ToList();
        var columns = ExperimentReport.Columns;
        const int plotHeight = 240, top = 30, left = 40, barWidth = 14, gap = 18;
        int groupWidth = (Math.Max(1, recipes.Count) * barWidth) + gap;
        int width = left + (columns.Count * groupWidth) + 20;
        int height = top + plotHeight + 110 + (recipes.Count * 16);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        for (int p = 0; p <= 100; p += 25)
        {
            double y = top + plotHeight - (plotHeight * p / 100.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - 10}\" y1=\"{y:F1}\" y2=\"{y:F1}\" stroke=\"#ddd\"/><text x=\"{left - 4}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{p}</text>\n");
        }

        for (int c = 0; c < columns.Count; c++)
        {
            int x0 = left + (gap / 2) + (c * groupWidth);
            for (int r = 0; r < recipes.Count; r++)
            {
                var (mean, sd, n) = ExperimentReport.MeanSd(runs.Where(x => x.Recipe == recipes[r]).Select(x => x.Results.Score(columns[c].Suite, columns[c].Score)));
                if (n == 0)
                {
                    continue;
                }

                double h = plotHeight * Math.Clamp(mean, 0, 1);
                int x = x0 + (r * barWidth);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + plotHeight - h:F1}\" width=\"{barWidth - 2}\" height=\"{h:F1}\" fill=\"{Colors[r % Colors.Length]}\"/>\n");
                double hi = top + plotHeight - (plotHeight * Math.Clamp(mean + sd, 0, 1)), lo = top + plotHeight - (plotHeight * Math.Clamp(mean - sd, 0, 1));
                double mid = x + ((barWidth - 2) / 2.0);
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{mid:F1}\" x2=\"{mid:F1}\" y1=\"{hi:F1}\" y2=\"{lo:F1}\" stroke=\"black\"/>\n");
            }

            double tx = x0 + (recipes.Count * barWidth / 2.0), ty = top + plotHeight + 8;
            svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({tx:F1},{ty:F1}) rotate(40)\">{SecurityElement.Escape(columns[c].Title)}</text>\n");
        }

        for (int r = 0; r < recipes.Count; r++)
        {
            int y = top + plotHeight + 100 + (r * 16);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{Colors[r % Colors.Length]}\"/><text x=\"{left + 14}\" y=\"{y}\">{SecurityElement.Escape(recipes[r])}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"18\" font-size=\"13\">Scores in % (mean over seeds, whisker ± 1 sd)</text>\n</svg>\n");
        return svg.ToString();
    }
}
