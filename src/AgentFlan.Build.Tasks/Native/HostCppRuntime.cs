using System.Diagnostics;

namespace AgentFlan.Build.Tasks.Native;

/// <summary>
/// Finds this machine's C++ runtime (libstdc++.so.6) and the symbol versions it defines, so the build patches
/// LibTorchSharp only where the loader would otherwise refuse it. Looks in the usual multiarch and lib64
/// folders first, then asks <c>ldconfig -p</c>.
/// </summary>
public static class HostCppRuntime
{
    public const string LibraryName = "libstdc++.so.6";

    private static readonly string[] CandidateFolders =
    [
        "/usr/lib/x86_64-linux-gnu",
        "/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/lib/aarch64-linux-gnu",
        "/usr/lib64",
        "/lib64",
        "/usr/lib",
        "/lib",
    ];

    /// <summary>The path of the host's libstdc++.so.6, or null when none is found.</summary>
    public static string? Locate()
    {
        foreach (var folder in CandidateFolders)
        {
            var path = Path.Combine(folder, LibraryName);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return FromLdconfig();
    }

    /// <summary>True when the library at <paramref name="path"/> defines symbol version <paramref name="version"/>.</summary>
    public static bool Defines(string path, string version) =>
        ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(path)).Contains(version, StringComparer.Ordinal);

    private static string? FromLdconfig()
    {
        try
        {
            var info = new ProcessStartInfo("ldconfig", "-p") { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);

            // Lines look like: "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6"
            return output.Split('\n')
                .Where(line => line.TrimStart().StartsWith(LibraryName + " ", StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim())
                .FirstOrDefault(File.Exists);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no ldconfig on this system
        }
    }
}
