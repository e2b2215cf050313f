using System.Runtime.InteropServices;

namespace AgentFlan.IO;

/// <summary>
/// Hard links (a second name for a file's bytes, no copy): how the packed stage keeps the shards a compile wrote
/// and hands them to the next one. The output and the cache may be on different file systems, or on one without
/// hard links: then <see cref="TryCreate"/> says no and the caller copies.
/// </summary>
internal static partial class HardLink
{
    /// <summary>Makes <paramref name="link"/> (which must not exist) a name for <paramref name="existing"/>'s bytes; false when the file system or platform cannot.</summary>
    public static bool TryCreate(string existing, string link)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                return CreateHardLinkW(link, existing, IntPtr.Zero);
            }

            return (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) && Link(existing, link) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Links <paramref name="existing"/> as <paramref name="destination"/>'s temp name, or copies it there; the temp file is then renamed into place (so <paramref name="destination"/> appears whole).</summary>
    public static void LinkOrCopy(string existing, string destination)
    {
        var temp = AtomicFile.TempPathFor(destination);
        try
        {
            if (!TryCreate(existing, temp))
            {
                File.Copy(existing, temp);
            }

            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);

    [LibraryImport("kernel32.dll", EntryPoint = "CreateHardLinkW", StringMarshalling = StringMarshalling.Utf16, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLinkW(string link, string existing, IntPtr securityAttributes);
}
