using System.Globalization;
using AgentFlan.IO;
using SkiaSharp;

namespace AgentFlan.Trainer.Training;

/// <summary>
/// loss.png beside metrics.jsonl: the loss of every step (thin) and its 10-step running mean (bold) against
/// the step, drawn with SkiaSharp (its Linux native library without system dependencies, so no fontconfig
/// is needed; labels use Skia's default typeface and are simply absent when none is available). Written
/// atomically whenever a resume point is, and at the end.
/// </summary>
public static class LossChart
{
    public const string FileName = "loss.png";
    private const int Width = 800, Height = 450, Left = 64, Right = 16, Top = 32, Bottom = 40;

    public static void Write(string path, IReadOnlyList<double> losses, string title)
    {
        var points = losses.Select((loss, i) => (Step: i + 1, Loss: loss)).Where(p => p.Loss > 0 && double.IsFinite(p.Loss)).ToList();
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var axis = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var font = new SKFont(SKTypeface.Default, 13);
        canvas.DrawRect(Left, Top, Width - Left - Right, Height - Top - Bottom, axis);
        canvas.DrawText(title, Left, Top - 10, font, text);
        if (points.Count > 0)
        {
            double minLoss = points.Min(p => p.Loss), maxLoss = points.Max(p => p.Loss);
            if (maxLoss - minLoss < 1e-9)
            {
                (minLoss, maxLoss) = (minLoss - 0.5, maxLoss + 0.5);
            }

            int lastStep = Math.Max(2, points[^1].Step);
            float X(double step) => (float)(Left + ((step - 1) / (lastStep - 1) * (Width - Left - Right)));
            float Y(double loss) => (float)(Top + ((maxLoss - loss) / (maxLoss - minLoss) * (Height - Top - Bottom)));

            for (int i = 0; i <= 4; i++)
            {
                double loss = minLoss + ((maxLoss - minLoss) * i / 4);
                canvas.DrawLine(Left - 4, Y(loss), Left, Y(loss), axis);
                canvas.DrawText(loss.ToString("0.###", CultureInfo.InvariantCulture), 4, Y(loss) + 4, font, text);
                double step = 1 + ((lastStep - 1) * i / 4.0);
                canvas.DrawText(Math.Round(step).ToString(CultureInfo.InvariantCulture), X(step) - 8, Height - Bottom + 18, font, text);
            }

            canvas.DrawText("step", (Width / 2) - 12, Height - 6, font, text);
            DrawLine(canvas, points.Select(p => new SKPoint(X(p.Step), Y(p.Loss))), new SKColor(100, 149, 237, 140), 1);
            var smoothed = points.Select((p, i) => new SKPoint(X(p.Step), Y(points.Skip(Math.Max(0, i - 9)).Take(Math.Min(10, i + 1)).Average(q => q.Loss))));
            DrawLine(canvas, smoothed, new SKColor(25, 25, 112), 2.5f);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }

    private static void DrawLine(SKCanvas canvas, IEnumerable<SKPoint> points, SKColor color, float width)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = width, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeJoin = SKStrokeJoin.Round };
        using var path = new SKPath();
        path.AddPoly([.. points], close: false);
        canvas.DrawPath(path, paint);
    }
}
