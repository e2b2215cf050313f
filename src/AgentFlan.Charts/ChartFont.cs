using System.Runtime.InteropServices;

namespace AgentFlan.Charts;

/// <summary>
/// The font chart text is drawn with, loaded from a file rather than looked up through the system's font
/// configuration: the self-contained Linux Skia (SkiaSharp.NativeAssets.Linux.NoDependencies) cannot be relied on
/// to find fonts through fontconfig on every machine, and a fixed file also keeps the images the same from one
/// machine to the next. Order: the file named by <c>AGENTFLAN_CHART_FONT</c>, then well-known sans-serif files of
/// Linux (DejaVu Sans, Liberation Sans), Windows (Arial, Segoe UI) and macOS (Arial, Helvetica); when none
/// exists, ScottPlot's own lookup of the system's sans-serif font, which <see cref="Description"/> reports.
/// </summary>
public sealed class ChartFont
{
    public const string EnvironmentVariable = "AGENTFLAN_CHART_FONT";

    // The name under which a font file is registered with ScottPlot.
    private const string RegisteredName = "AgentFlan Chart Sans";

    private static readonly string[] KnownFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",   // Debian, Ubuntu (fonts-dejavu-core)
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",            // Fedora, RHEL
        "/usr/share/fonts/TTF/DejaVuSans.ttf",               // Arch
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", // newer Fedora
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        @"C:\Windows\Fonts\arial.ttf",
        @"C:\Windows\Fonts\segoeui.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/Library/Fonts/Arial.ttf",
        "/System/Library/Fonts/Helvetica.ttc",
    ];

    private static readonly Lazy<ChartFont> Resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    private ChartFont(string family, string? file)
    {
        Family = family;
        File = file;
    }

    /// <summary>The font every chart of this process uses (resolved once).</summary>
    public static ChartFont Current => Resolved.Value;

    /// <summary>The ScottPlot font name to set on a plot.</summary>
    public string Family { get; }

    /// <summary>The font file loaded, or null when the system lookup was the fallback.</summary>
    public string? File { get; }

    /// <summary>For reports: the font's file name, or a plain statement that none was found.</summary>
    public string Description => File is not null
        ? $"font {Path.GetFileName(File)}"
        : $"font: system sans-serif '{Family}' (no known font file was found; if chart text is missing, set {EnvironmentVariable} to a .ttf file)";

    /// <summary>The candidate files in order of preference (the environment variable first, when set).</summary>
    public static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } chosen)
        {
            yield return chosen;
        }

        foreach (var file in KnownFiles)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) == file.Contains('\\', StringComparison.Ordinal))
            {
                yield return file;
            }
        }
    }

    private static ChartFont Resolve()
    {
        foreach (var file in Candidates())
        {
            if (!System.IO.File.Exists(file))
            {
                continue;
            }

            try
            {
                ScottPlot.Fonts.AddFontFile(RegisteredName, file, bold: false, italic: false);
                // Bold text asks for the family's bold file beside it (DejaVuSans-Bold.ttf), else the same file.
                // (ScottPlot 5.1.59 still draws titles from a registered font at the regular weight.)
                var bold = Path.Combine(Path.GetDirectoryName(file) ?? "", Path.GetFileNameWithoutExtension(file).Replace("-Regular", "", StringComparison.Ordinal) + "-Bold" + Path.GetExtension(file));
                ScottPlot.Fonts.AddFontFile(RegisteredName, System.IO.File.Exists(bold) ? bold : file, bold: true, italic: false);
                return new ChartFont(RegisteredName, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // An unreadable or invalid file: try the next one.
            }
        }

        return new ChartFont(ScottPlot.Fonts.Sans, file: null);
    }
}
