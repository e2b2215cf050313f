using SkiaSharp;

namespace AgentFlan.Charts.Tests;

/// <summary>Decodes PNG bytes with SkiaSharp and answers the questions the tests ask of an image.</summary>
internal static class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Asserts a PNG of the given size that decodes and is not blank; returns the decoded bitmap.</summary>
    public static SKBitmap AssertChart(byte[] png, int width, int height, string what)
    {
        CollectionAssert.AreEqual(Signature, png[..8], $"{what} starts with the PNG signature");
        var bitmap = SKBitmap.Decode(png);
        Assert.IsNotNull(bitmap, $"{what} decodes");
        Assert.AreEqual(width, bitmap.Width, what);
        Assert.AreEqual(height, bitmap.Height, what);
        Assert.IsGreaterThanOrEqualTo(8, DistinctColors(bitmap, 0, 0, width, height), $"{what} is not blank");
        return bitmap;
    }

    public static int DistinctColors(SKBitmap bitmap, int x0, int y0, int x1, int y1)
    {
        var colors = new HashSet<uint>();
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                colors.Add((uint)bitmap.GetPixel(x, y));
            }
        }

        return colors.Count;
    }

    /// <summary>Pixels darker than mid-grey in a rectangle: text and lines, not the white background.</summary>
    public static int DarkPixels(SKBitmap bitmap, int x0, int y0, int x1, int y1)
    {
        int dark = 0;
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                var c = bitmap.GetPixel(x, y);
                dark += c.Red + c.Green + c.Blue < 3 * 128 ? 1 : 0;
            }
        }

        return dark;
    }
}
