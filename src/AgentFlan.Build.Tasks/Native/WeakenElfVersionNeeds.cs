using AgentFlan.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks.Native;

/// <summary>
/// Marks named ELF version requirements weak (VER_FLG_WEAK) in the build's output copy of a native library.
/// Why: TorchSharp 0.107's libLibTorchSharp.so is linked against GCC 13's libstdc++ and requires
/// GLIBCXX_3.4.32, which Debian 12 and Ubuntu 22.04 (GCC 12, up to 3.4.30) lack; its only symbol of that
/// version is never bound, so a weak requirement lets the library load and work. The task runs only on Linux
/// and only when the host's libstdc++ lacks the version; it keeps each file's timestamp so the SDK's
/// incremental copy does not restore the original, and writes a new file instead of editing in place so a
/// hard-linked copy can never change the NuGet cache. Errors: AFB4003.
/// </summary>
public sealed class WeakenElfVersionNeeds : Microsoft.Build.Utilities.Task
{
    /// <summary>"The file is not a valid ELF image or could not be patched." (Next to TaskParameterInvalid/TrainerFailed.)</summary>
    public const string PatchFailedCode = DiagnosticCodes.NativeLibraryPatchFailed;

    /// <summary>The output copies to patch; missing files are skipped (several candidate locations are normal).</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Version names to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Required]
    public string[] Versions { get; set; } = [];

    /// <summary>The C++ runtime to check the versions against; found automatically when empty (tests set it).</summary>
    public string? HostLibrary { get; set; }

    /// <summary>The files this run changed.</summary>
    [Output]
    public ITaskItem[] PatchedFiles { get; private set; } = [];

    public override bool Execute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Log.LogMessage(MessageImportance.Low, "WeakenElfVersionNeeds: not Linux, nothing to do.");
            return true;
        }

        var host = string.IsNullOrEmpty(HostLibrary) ? HostCppRuntime.Locate() : HostLibrary;
        var needed = Versions.Where(v => host is null || !HostProvides(host, v)).ToArray();
        if (needed.Length == 0)
        {
            Log.LogMessage(MessageImportance.Low, $"WeakenElfVersionNeeds: {host} provides {string.Join(", ", Versions)}; native libraries are left as shipped.");
            return !Log.HasLoggedErrors;
        }

        var patched = new List<ITaskItem>();
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                Log.LogMessage(MessageImportance.Low, $"WeakenElfVersionNeeds: {path} does not exist; skipped.");
                continue;
            }

            try
            {
                var changed = Patch(path, needed);
                if (changed.Count > 0)
                {
                    patched.Add(item);
                    Log.LogMessage(MessageImportance.High,
                        $"AgentFlan: marked {string.Join(", ", changed.Select(c => $"{c.Library} {c.Version}"))} weak in {path}: this machine's C++ runtime ({host ?? "not found"}) lacks it, and the library never binds a symbol of that version. Only the build output copy is changed, never the NuGet cache.");
                }
                else
                {
                    Log.LogMessage(MessageImportance.Low, $"WeakenElfVersionNeeds: {path} already loads here (requirements weak or absent).");
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Log.LogError(null, PatchFailedCode, null, path, 0, 0, 0, 0, $"{PatchFailedCode}: cannot mark {string.Join(", ", needed)} weak in '{path}': {e.Message}");
            }
        }

        PatchedFiles = [.. patched];
        return !Log.HasLoggedErrors;
    }

    private bool HostProvides(string host, string version)
    {
        try
        {
            return HostCppRuntime.Defines(host, version);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.LogMessage(MessageImportance.Normal, $"WeakenElfVersionNeeds: cannot read the versions of {host} ({e.Message}); assuming {version} is missing.");
            return false;
        }
    }

    private static IReadOnlyList<VersionNeed> Patch(string path, string[] versions)
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        var image = File.ReadAllBytes(path);
        var changed = ElfVersionNeeds.Weaken(image, versions);
        if (changed.Count == 0)
        {
            return changed;
        }

        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, image);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            }

            File.Move(temp, path, overwrite: true);
            File.SetLastWriteTimeUtc(path, stamp);
        }
        finally
        {
            File.Delete(temp);
        }

        return changed;
    }
}
