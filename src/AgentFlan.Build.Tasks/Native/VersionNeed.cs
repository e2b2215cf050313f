namespace AgentFlan.Build.Tasks.Native;

/// <summary>
/// One version an ELF object requires from a library (an Elf64_Vernaux entry), e.g. libstdc++.so.6 /
/// GLIBCXX_3.4.32. <see cref="FlagsOffset"/> is the file offset of its vna_flags field.
/// </summary>
public sealed record VersionNeed(string Library, string Version, ushort Flags, long FlagsOffset)
{
    public bool IsWeak => (Flags & ElfVersionNeeds.WeakFlag) != 0;
}
