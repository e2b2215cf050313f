using System.Buffers.Binary;
using System.Text;

namespace AgentFlan.Build.Tasks.Tests.Native;

/// <summary>
/// Builds the smallest ELF64 image the version walker reads: an ELF header, a string table, a
/// .gnu.version_r section (requirements per library) and optionally a .gnu.version_d section
/// (definitions), then the section header table. Offsets of interesting fields are exposed so tests can
/// corrupt them on purpose.
/// </summary>
internal sealed class ElfImageBuilder
{
    public const int SectionTableEntrySize = 64;
    private readonly List<(string Library, string[] Versions)> _needs = [];
    private readonly List<string> _definitions = [];

    public long NeedsOffset { get; private set; }

    public long DefinitionsOffset { get; private set; }

    public long SectionTableOffset { get; private set; }

    public ElfImageBuilder Needs(string library, params string[] versions)
    {
        _needs.Add((library, versions));
        return this;
    }

    public ElfImageBuilder Defines(params string[] versions)
    {
        _definitions.AddRange(versions);
        return this;
    }

    public byte[] Build()
    {
        var strings = new MemoryStream();
        strings.WriteByte(0);
        var names = new Dictionary<string, uint>();
        uint Name(string s)
        {
            if (!names.TryGetValue(s, out var at))
            {
                at = (uint)strings.Length;
                strings.Write(Encoding.ASCII.GetBytes(s + "\0"));
                names[s] = at;
            }

            return at;
        }

        var needs = new MemoryStream();
        for (int n = 0; n < _needs.Count; n++)
        {
            var (library, versions) = _needs[n];
            int size = 16 + (16 * versions.Length);
            var entry = new byte[size];
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(0), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(2), (ushort)versions.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), Name(library));
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 16);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), n + 1 < _needs.Count ? (uint)size : 0);
            for (int v = 0; v < versions.Length; v++)
            {
                var aux = entry.AsSpan(16 + (16 * v));
                BinaryPrimitives.WriteUInt32LittleEndian(aux, (uint)versions[v].GetHashCode(StringComparison.Ordinal));
                BinaryPrimitives.WriteUInt16LittleEndian(aux[6..], (ushort)(2 + v));
                BinaryPrimitives.WriteUInt32LittleEndian(aux[8..], Name(versions[v]));
                BinaryPrimitives.WriteUInt32LittleEndian(aux[12..], v + 1 < versions.Length ? 16u : 0u);
            }

            needs.Write(entry);
        }

        var definitions = new MemoryStream();
        for (int d = 0; d < _definitions.Count; d++)
        {
            var entry = new byte[20 + 8];
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(0), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(4), (ushort)(d + 1));
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(6), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), 20);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(16), d + 1 < _definitions.Count ? 28u : 0u);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(20), Name(_definitions[d]));
            definitions.Write(entry);
        }

        long stringsOffset = 64;
        NeedsOffset = Align(stringsOffset + strings.Length);
        DefinitionsOffset = Align(NeedsOffset + needs.Length);
        SectionTableOffset = Align(DefinitionsOffset + definitions.Length);
        int sectionCount = _definitions.Count > 0 ? 4 : 3;
        var image = new byte[SectionTableOffset + (sectionCount * SectionTableEntrySize)];

        "\u007fELF"u8.CopyTo(image);
        image[4] = 2; // ELFCLASS64
        image[5] = 1; // little-endian
        image[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x10), 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x12), 62); // x86-64
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x28), (ulong)SectionTableOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x34), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x3A), SectionTableEntrySize);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x3C), (ushort)sectionCount);

        strings.ToArray().CopyTo(image, stringsOffset);
        needs.ToArray().CopyTo(image, NeedsOffset);
        definitions.ToArray().CopyTo(image, DefinitionsOffset);

        Section(image, 1, type: 3, stringsOffset, strings.Length, link: 0, info: 0);
        Section(image, 2, type: 0x6ffffffe, NeedsOffset, needs.Length, link: 1, info: (uint)_needs.Count);
        if (_definitions.Count > 0)
        {
            Section(image, 3, type: 0x6ffffffd, DefinitionsOffset, definitions.Length, link: 1, info: (uint)_definitions.Count);
        }

        return image;
    }

    private void Section(byte[] image, int index, uint type, long offset, long size, uint link, uint info)
    {
        var header = image.AsSpan((int)(SectionTableOffset + (index * SectionTableEntrySize)), SectionTableEntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], (ulong)offset);
        BinaryPrimitives.WriteUInt64LittleEndian(header[32..], (ulong)size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], link);
        BinaryPrimitives.WriteUInt32LittleEndian(header[44..], info);
    }

    private static long Align(long value) => (value + 7) & ~7L;
}
