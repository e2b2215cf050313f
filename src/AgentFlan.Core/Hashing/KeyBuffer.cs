using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFlan.Hashing;

/// <summary>
/// Builds the bytes of a content key in one reused buffer per thread, then hashes them once: many small
/// incremental-hash calls cost more than the hashing itself. Text is added as UTF-8, JSON as compact UTF-8.
/// </summary>
internal sealed class KeyBuffer
{
    [ThreadStatic]
    private static KeyBuffer? _current;

    private byte[] _bytes = new byte[16 * 1024];
    private int _length;

    /// <summary>This thread's buffer, emptied.</summary>
    public static KeyBuffer Start()
    {
        var buffer = _current ??= new KeyBuffer();
        buffer._length = 0;
        return buffer;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<char> text)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
        _length += Encoding.UTF8.GetBytes(text, _bytes.AsSpan(_length));
    }

    public void Add(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(_length), value);
        _length += 4;
    }

    public void Add(byte value)
    {
        Reserve(1);
        _bytes[_length++] = value;
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>A string with its length first, null distinct from empty.</summary>
    public void AddField(string? text)
    {
        Add(text?.Length ?? -1);
        if (text is not null)
        {
            Add(text.AsSpan());
        }
    }

    /// <summary>A JSON node as compact UTF-8 (the serializer's default escaping), length first.</summary>
    public void AddJson(JsonNode node)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(node);
        Add(bytes.Length);
        Add(bytes);
    }

    public byte[] Sha256() => SHA256.HashData(_bytes.AsSpan(0, _length));

    public Digest128 Digest() => Digest128.Of(_bytes.AsSpan(0, _length));

    private void Reserve(int count)
    {
        if (_length + count > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
        }
    }
}
