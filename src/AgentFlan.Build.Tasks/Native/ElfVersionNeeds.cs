using System.Buffers.Binary;
using System.Text;

namespace AgentFlan.Build.Tasks.Native;

/// <summary>
/// Reads and edits the symbol-versioning sections of a little-endian ELF64 image (a shared library):
/// <c>.gnu.version_r</c> (SHT_GNU_verneed: the versions this object requires from each library it links) and
/// <c>.gnu.version_d</c> (SHT_GNU_verdef: the versions a library defines). Pure functions over a byte span;
/// every offset is checked against the image and the section it belongs to, and anything that does not
/// add up throws <see cref="InvalidDataException"/> saying what and where.
/// Layouts: System V gABI and the LSB "Symbol Versioning" chapter (Elf64_Verneed/Vernaux/Verdef/Verdaux).
/// </summary>
public static class ElfVersionNeeds
{
    /// <summary>vna_flags bit: a missing version is a warning for the dynamic loader, not a fatal error.</summary>
    public const ushort WeakFlag = 0x2;

    private const uint SectionVersionNeeds = 0x6ffffffe; // SHT_GNU_verneed
    private const uint SectionVersionDefinitions = 0x6ffffffd; // SHT_GNU_verdef
    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int NeedSize = 16;
    private const int NeedAuxSize = 16;
    private const int DefinitionSize = 20;
    private const int DefinitionAuxSize = 8;

    /// <summary>Every version requirement of the image, in file order.</summary>
    public static IReadOnlyList<VersionNeed> Read(ReadOnlySpan<byte> image)
    {
        var needs = new List<VersionNeed>();
        foreach (var section in Sections(image, SectionVersionNeeds))
        {
            WalkNeeds(image, section, needs);
        }

        return needs;
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on each requirement whose version name is in <paramref name="versions"/> and is not
    /// weak yet. Returns the requirements it changed (empty when there was nothing to do).
    /// </summary>
    public static IReadOnlyList<VersionNeed> Weaken(Span<byte> image, IReadOnlyCollection<string> versions)
    {
        var changed = new List<VersionNeed>();
        foreach (var need in Read(image))
        {
            if (versions.Contains(need.Version, StringComparer.Ordinal) && !need.IsWeak)
            {
                var flags = (ushort)(need.Flags | WeakFlag);
                BinaryPrimitives.WriteUInt16LittleEndian(image.Slice(checked((int)need.FlagsOffset), 2), flags);
                changed.Add(need with { Flags = flags });
            }
        }

        return changed;
    }

    /// <summary>The version names a library defines (for example GLIBCXX_3.4.30 in libstdc++.so.6).</summary>
    public static IReadOnlyList<string> ReadDefinitions(ReadOnlySpan<byte> image)
    {
        var names = new List<string>();
        foreach (var section in Sections(image, SectionVersionDefinitions))
        {
            long at = section.Offset;
            for (long i = 0; i < section.Info; i++)
            {
                var entry = Slice(image, section, at, DefinitionSize, "version definition");
                uint aux = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]);
                if (BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]) > 0)
                {
                    var first = Slice(image, section, at + aux, DefinitionAuxSize, "version definition name");
                    names.Add(ReadString(image, section.Strings, BinaryPrimitives.ReadUInt32LittleEndian(first)));
                }

                if (next == 0)
                {
                    break;
                }

                at += next;
            }
        }

        return names;
    }

    private static void WalkNeeds(ReadOnlySpan<byte> image, Section section, List<VersionNeed> needs)
    {
        long at = section.Offset;
        for (long i = 0; i < section.Info; i++)
        {
            var entry = Slice(image, section, at, NeedSize, "version need");
            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
            var library = ReadString(image, section.Strings, BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]));
            long auxAt = at + BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]);
            uint next = BinaryPrimitives.ReadUInt32LittleEndian(entry[12..]);
            for (int k = 0; k < auxCount; k++)
            {
                var aux = Slice(image, section, auxAt, NeedAuxSize, "version need entry");
                var flags = BinaryPrimitives.ReadUInt16LittleEndian(aux[4..]);
                var name = ReadString(image, section.Strings, BinaryPrimitives.ReadUInt32LittleEndian(aux[8..]));
                needs.Add(new VersionNeed(library, name, flags, auxAt + 4));
                uint auxNext = BinaryPrimitives.ReadUInt32LittleEndian(aux[12..]);
                if (auxNext == 0 && k + 1 < auxCount)
                {
                    throw Malformed($"the requirements of '{library}' end after {k + 1} of {auxCount} entries");
                }

                auxAt += auxNext;
            }

            if (next == 0)
            {
                break;
            }

            at += next;
        }
    }

    private static List<Section> Sections(ReadOnlySpan<byte> image, uint type)
    {
        if (image.Length < ElfHeaderSize || !image[..4].SequenceEqual("\u007fELF"u8))
        {
            throw Malformed("not an ELF file (no \\x7fELF magic)");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw Malformed($"only little-endian ELF64 is supported (class {image[4]}, data encoding {image[5]})");
        }

        ulong tableOffset = BinaryPrimitives.ReadUInt64LittleEndian(image[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3A..]);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(image[0x3C..]);
        if (tableOffset == 0)
        {
            return []; // no section table (a stripped image): nothing to read
        }

        if (entrySize < SectionHeaderSize)
        {
            throw Malformed($"section header entries are {entrySize} bytes, expected at least {SectionHeaderSize}");
        }

        if (count == 0)
        {
            // Extended numbering: more than 0xff00 sections; the real count is section 0's sh_size.
            count = (long)BinaryPrimitives.ReadUInt64LittleEndian(Header(image, tableOffset, entrySize, 0)[32..]);
        }

        var result = new List<Section>();
        for (long i = 0; i < count; i++)
        {
            var header = Header(image, tableOffset, entrySize, i);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != type)
            {
                continue;
            }

            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
            uint link = BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(header[44..]);
            if (link >= count)
            {
                throw Malformed($"section {i} links to string table {link}, but there are {count} sections");
            }

            var strings = Header(image, tableOffset, entrySize, link);
            var section = new Section(
                CheckRange(image, offset, size, $"section {i}"),
                (long)size,
                info,
                new StringTable(
                    CheckRange(image, BinaryPrimitives.ReadUInt64LittleEndian(strings[24..]), BinaryPrimitives.ReadUInt64LittleEndian(strings[32..]), $"string table {link}"),
                    (long)BinaryPrimitives.ReadUInt64LittleEndian(strings[32..])));
            result.Add(section);
        }

        return result;
    }

    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> image, ulong tableOffset, int entrySize, long index)
    {
        ulong at = tableOffset + ((ulong)index * (ulong)entrySize);
        CheckRange(image, at, SectionHeaderSize, $"section header {index}");
        return image.Slice((int)at, SectionHeaderSize);
    }

    private static long CheckRange(ReadOnlySpan<byte> image, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)image.Length || size > (ulong)image.Length - offset)
        {
            throw Malformed($"{what} ({size} bytes at offset {offset}) lies outside the {image.Length}-byte file (truncated?)");
        }

        return (long)offset;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> image, Section section, long at, int size, string what)
    {
        if (at < section.Offset || at + size > section.Offset + section.Size)
        {
            throw Malformed($"a {what} at offset {at} lies outside its section ({section.Size} bytes at offset {section.Offset})");
        }

        return image.Slice((int)at, size);
    }

    private static string ReadString(ReadOnlySpan<byte> image, StringTable strings, uint offset)
    {
        if (offset >= strings.Size)
        {
            throw Malformed($"a name at offset {offset} lies outside its {strings.Size}-byte string table");
        }

        var text = image.Slice((int)(strings.Offset + offset), (int)(strings.Size - offset));
        int end = text.IndexOf((byte)0);
        if (end < 0)
        {
            throw Malformed($"the name at offset {offset} of the string table is not terminated");
        }

        return Encoding.ASCII.GetString(text[..end]);
    }

    private static InvalidDataException Malformed(string why) => new($"Malformed ELF image: {why}.");

    private readonly record struct StringTable(long Offset, long Size);

    private readonly record struct Section(long Offset, long Size, uint Info, StringTable Strings);
}
