namespace AgentFlan.Readers.Json;

/// <summary>
/// A growable window over a stream: bytes [<see cref="Start"/>, <see cref="End"/>) of <see cref="Buffer"/>
/// are read but not yet consumed. It grows only when one record does not fit, so memory follows the largest
/// record, not the file. Read errors (a damaged gzip member, a failing disk) end the stream and are kept in
/// <see cref="Error"/> so the scanner can report them as a located rejection instead of throwing.
/// </summary>
internal sealed class ByteWindow(Stream stream, int initialSize = 1 << 16)
{
    public byte[] Buffer { get; private set; } = new byte[initialSize];

    public int Start { get; set; }

    public int End { get; private set; }

    public bool Eof { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Bytes of the stream before <see cref="Buffer"/>[0]; locates errors.</summary>
    public long Offset { get; private set; }

    public int Length => End - Start;

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(Start, End - Start);

    /// <summary>
    /// Reads more bytes, moving the unconsumed ones to the front and doubling the buffer when it is full.
    /// Returns false at the end of the stream (or when the window would exceed <paramref name="maxBytes"/>).
    /// </summary>
    public bool Fill(int maxBytes)
    {
        if (Eof)
        {
            return false;
        }

        if (Start > 0)
        {
            Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
            Offset += Start;
            End -= Start;
            Start = 0;
        }

        if (End == Buffer.Length)
        {
            if (Buffer.Length >= maxBytes)
            {
                return false;
            }

            var larger = new byte[Math.Min((long)Buffer.Length * 2, maxBytes)];
            Buffer.AsSpan(0, End).CopyTo(larger);
            Buffer = larger;
        }

        var before = End;
        while (End < Buffer.Length)
        {
            int read;
            try
            {
                read = stream.Read(Buffer, End, Buffer.Length - End);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Error = $"the file cannot be read past byte {Offset + End}: {e.Message}";
                Eof = true;
                break;
            }

            if (read == 0)
            {
                Eof = true;
                break;
            }

            End += read;
        }

        return End > before;
    }

    /// <summary>Drops everything read so far (used to skip an over-long line without keeping it).</summary>
    public void Discard()
    {
        Offset += End;
        Start = 0;
        End = 0;
    }
}
