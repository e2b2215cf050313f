using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AgentFlan.Tokenization;

namespace AgentFlan.Shards;

/// <summary>
/// One shard's sections being filled, row by row, in the bytes the file holds (<see cref="ShardFormat"/>): token
/// ids already at the shard's width and in little-endian order, the loss mask, the document entries. A row is
/// built in place from the samples it packs, so a compile never makes a row array; the arrays grow with the rows
/// and are reused for the next shard after <see cref="Clear"/>.
/// </summary>
internal sealed class ShardBuffer
{
    private byte[] _tokens = [];
    private byte[] _loss = [];
    private byte[] _documents = [];

    public ShardBuffer(int sequenceLength, int tokenWidth, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (tokenWidth is not (2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(tokenWidth), tokenWidth, "A token id takes 2 or 4 bytes.");
        }

        SequenceLength = sequenceLength;
        TokenWidth = tokenWidth;
        Capacity = capacity;
    }

    public int SequenceLength { get; }

    public int TokenWidth { get; }

    /// <summary>The most rows the buffer takes (a shard's rows).</summary>
    public int Capacity { get; }

    public int Rows { get; private set; }

    public bool IsFull => Rows == Capacity;

    public long DocumentCount { get; private set; }

    /// <summary>Tokens that belong to a document (not padding).</summary>
    public long Tokens { get; private set; }

    /// <summary>Tokens whose loss mask byte is not 0.</summary>
    public long SupervisedTokens { get; private set; }

    public ReadOnlySpan<byte> TokenBytes => _tokens.AsSpan(0, Rows * SequenceLength * TokenWidth);

    public ReadOnlySpan<byte> Loss => _loss.AsSpan(0, Rows * SequenceLength);

    public ReadOnlySpan<byte> DocumentEntries => _documents.AsSpan(0, checked((int)(DocumentCount * ShardFormat.DocumentEntrySize)));

    /// <summary>Adds a row given as arrays.</summary>
    public void Add(PackedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Tokens.Length != SequenceLength || row.Loss.Length != SequenceLength)
        {
            throw new ArgumentException("Every row must hold exactly the sequence length.", nameof(row));
        }

        int r = BeginRow();
        WriteIds(row.Tokens, r, 0);
        row.Loss.CopyTo(_loss.AsSpan(r * SequenceLength, SequenceLength));
        foreach (var (start, length, kind) in row.Documents)
        {
            AddDocument(r, start, length, kind);
        }

        SupervisedTokens += SequenceLength - row.Loss.AsSpan().Count((byte)0);
        Rows++;
    }

    /// <summary>
    /// Adds a row holding <paramref name="samples"/>[<paramref name="members"/>] one after the other from its
    /// start (each a document), then <paramref name="padToken"/> up to the sequence length.
    /// </summary>
    public void Add(IReadOnlyList<SampleView> samples, IReadOnlyList<int> members, int padToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(members);
        int r = BeginRow();
        var loss = _loss.AsSpan(r * SequenceLength, SequenceLength);
        int at = 0;
        foreach (var member in members)
        {
            var sample = samples[member];
            if (sample.Length > SequenceLength - at)
            {
                throw new ArgumentException($"Sample '{sample.Id}' ({sample.Length} tokens) does not fit in the row.", nameof(members));
            }

            WriteIds(sample.Tokens, r, at);
            sample.WriteLoss(loss.Slice(at, sample.Length));
            AddDocument(r, at, sample.Length, (int)sample.Kind);
            SupervisedTokens += sample.SupervisedCount;
            at += sample.Length;
        }

        int padding = SequenceLength - at;
        if (padding > 0)
        {
            Span<int> pad = stackalloc int[Math.Min(padding, 256)];
            pad.Fill(padToken);
            for (int p = at; p < SequenceLength; p += pad.Length)
            {
                WriteIds(pad[..Math.Min(pad.Length, SequenceLength - p)], r, p);
            }

            loss[at..].Clear();
        }

        Rows++;
    }

    /// <summary>Empties the buffer for the next shard, keeping its arrays.</summary>
    public void Clear()
    {
        Rows = 0;
        DocumentCount = 0;
        Tokens = 0;
        SupervisedTokens = 0;
    }

    private int BeginRow()
    {
        if (IsFull)
        {
            throw new InvalidOperationException($"The shard already holds {Capacity} rows.");
        }

        int rows = Rows + 1;
        if ((long)rows * SequenceLength > _loss.Length)
        {
            // Double the room (at most a shard's), so a small compile never holds a whole shard's arrays.
            long grown = Math.Min(Capacity, Math.Max(16, 2L * _loss.Length / SequenceLength));
            Array.Resize(ref _loss, checked((int)(grown * SequenceLength)));
            Array.Resize(ref _tokens, checked((int)(grown * SequenceLength * TokenWidth)));
        }

        return Rows;
    }

    private void WriteIds(ReadOnlySpan<int> ids, int row, int at)
    {
        var bytes = _tokens.AsSpan(((row * SequenceLength) + at) * TokenWidth, ids.Length * TokenWidth);
        if (TokenWidth == 2)
        {
            var narrow = MemoryMarshal.Cast<byte, ushort>(bytes);
            TokenIds.Narrow(ids, narrow);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(narrow, narrow);
            }
        }
        else
        {
            var wide = MemoryMarshal.Cast<byte, uint>(bytes);
            TokenIds.Widen(ids, wide);
            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(wide, wide);
            }
        }
    }

    private void AddDocument(int row, int start, int length, int kind)
    {
        int offset = checked((int)(DocumentCount * ShardFormat.DocumentEntrySize));
        if (offset + ShardFormat.DocumentEntrySize > _documents.Length)
        {
            Array.Resize(ref _documents, Math.Max(1024, 2 * _documents.Length));
        }

        var entry = _documents.AsSpan(offset, ShardFormat.DocumentEntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)row);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)start);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], (uint)kind);
        DocumentCount++;
        Tokens += length;
    }
}
