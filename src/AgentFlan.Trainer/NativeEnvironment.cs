using System.Runtime.InteropServices;

namespace AgentFlan.Trainer;

/// <summary>
/// Process settings the native runtime reads once, when LibTorch (and its bundled libgomp) loads: they must be
/// in the C environment before the first tensor exists. Environment.SetEnvironmentVariable only changes .NET's
/// copy on Unix, hence setenv.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>
    /// OpenMP threads that wait passively instead of spinning. Measured on a 2-core machine shared with other
    /// builds (load ≈ 9): the default 150-step run took 180 s with spinning threads and 37 s with passive ones
    /// (34 s on one thread); on an idle machine the difference is within noise. A value the user set wins.
    /// </summary>
    public static void PreferPassiveOpenMpWaits()
    {
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
