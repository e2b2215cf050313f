using System.Runtime.InteropServices;

namespace AgentFlan.Transforms;

/// <summary>
/// The ids of a corpus, kept without a string object each: one byte per character when every character is below
/// U+0100 (nearly always), two otherwise, in 1 MiB chunks. An id is read back as characters into a buffer the
/// store reuses (valid until the next read), or as a new string where one is needed.
/// </summary>
internal sealed class IdStore
{
    private const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkSize;
    private char[] _buffer = new char[256];

    /// <summary>Stores <paramref name="id"/>; the returned reference reads it back.</summary>
    public IdRef Add(ReadOnlySpan<char> id)
    {
        var narrow = !id.ContainsAnyExceptInRange('\u0000', '\u00FF');
        var bytes = narrow ? id.Length : id.Length * 2;
        if (_used + bytes > ChunkSize)
        {
            _chunks.Add(new byte[Math.Max(ChunkSize, bytes)]);
            _used = 0;
        }

        var chunk = _chunks[^1];
        var target = chunk.AsSpan(_used, bytes);
        if (narrow)
        {
            for (int i = 0; i < id.Length; i++)
            {
                target[i] = (byte)id[i];
            }
        }
        else
        {
            MemoryMarshal.AsBytes(id).CopyTo(target);
        }

        var reference = new IdRef(((long)(_chunks.Count - 1) * ChunkSize) + _used, narrow ? id.Length : -id.Length);
        _used += bytes;
        return reference;
    }

    /// <summary>The id's characters, in a buffer reused by the next call.</summary>
    public ReadOnlySpan<char> Chars(IdRef id) => Chars(id, 0, out _);

    /// <summary>The id's characters followed by <paramref name="suffix"/>, in a buffer reused by the next call.</summary>
    public ReadOnlySpan<char> Chars(IdRef id, ReadOnlySpan<char> suffix)
    {
        Chars(id, suffix.Length, out var length);
        suffix.CopyTo(_buffer.AsSpan(length));
        return _buffer.AsSpan(0, length + suffix.Length);
    }

    public string ToString(IdRef id) => new(Chars(id));

    private ReadOnlySpan<char> Chars(IdRef id, int spare, out int length)
    {
        length = Math.Abs(id.Length);
        if (_buffer.Length < length + spare)
        {
            _buffer = new char[Math.Max(length + spare, _buffer.Length * 2)];
        }

        var chunk = _chunks[(int)(id.At / ChunkSize)];
        var start = (int)(id.At % ChunkSize);
        if (id.Length >= 0)
        {
            for (int i = 0; i < length; i++)
            {
                _buffer[i] = (char)chunk[start + i];
            }
        }
        else
        {
            MemoryMarshal.Cast<byte, char>(chunk.AsSpan(start, length * 2)).CopyTo(_buffer);
        }

        return _buffer.AsSpan(0, length);
    }
}

/// <summary>Where an id lives in its <see cref="IdStore"/>: byte offset, and character count (negative when stored two bytes a character).</summary>
internal readonly record struct IdRef(long At, int Length);
