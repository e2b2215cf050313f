using System.Runtime.InteropServices;
using System.Text.Json;
using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>
/// The tool specifications one read has built, by their raw JSON bytes. Sources repeat the same few tool lists
/// in thousands of records: each distinct spec is parsed once, and every record that offers it shares the one
/// <see cref="ToolSpec"/> (its parameters are never modified after reading), which also lets the chat template
/// render each spec once (<see cref="Templates.ToolSpecText"/>). Only specs that were read without error are
/// kept, so a defective spec is rejected, with its own location, in every record that has it.
/// </summary>
internal sealed class ToolSpecCache
{
    /// <summary>Distinct specs kept at most; past it the cache starts over (a corpus of all-different tools gains nothing from it).</summary>
    private const int MaxEntries = 4096;

    private readonly Dictionary<byte[], ToolSpec> _specs = new(RawJsonComparer.Instance);

    /// <summary>The spec of <paramref name="element"/>'s raw JSON, read once; safe from several threads (one reads at a time, so each distinct spec has one instance).</summary>
    public ToolSpec GetOrAdd(JsonElement element, string where, Func<JsonElement, string, ToolSpec> read)
    {
        lock (_specs)
        {
            return GetOrAddLocked(element, where, read);
        }
    }

    private ToolSpec GetOrAddLocked(JsonElement element, string where, Func<JsonElement, string, ToolSpec> read)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var lookup = _specs.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(raw, out var spec))
        {
            return spec;
        }

        spec = read(element, where);
        if (_specs.Count >= MaxEntries)
        {
            _specs.Clear();
        }

        _specs.Add(raw.ToArray(), spec);
        return spec;
    }

    /// <summary>Byte-content equality, looked up by span so a hit allocates nothing.</summary>
    private sealed class RawJsonComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RawJsonComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
