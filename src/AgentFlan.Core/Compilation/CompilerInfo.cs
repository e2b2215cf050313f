using System.Reflection;

namespace AgentFlan.Compilation;

/// <summary>
/// The compiler's identity for cache keys and manifests: the product version plus the Core assembly's
/// module id. Builds are deterministic, so the id changes exactly when Core's code changes.
/// </summary>
public static class CompilerInfo
{
    public static string Version { get; } = Compute();

    private static string Compute()
    {
        var assembly = typeof(CompilerInfo).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            version = version[..plus];
        }

        return $"{version}+{assembly.ManifestModule.ModuleVersionId.ToString("N")[..12]}";
    }
}
