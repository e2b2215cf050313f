using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AgentFlan.Tokenization;

namespace AgentFlan.Shards;

/// <summary>
/// One shard's sections being filled, row by row, in the bytes the file holds (<see cref="ShardFormat"/>): token
/// ids already at the shard's width and in little-endian order, the loss mask as bits, the document entries. A row is
/// built in place from the samples it packs, so a compile never makes a row array; the arrays grow with the rows
/// and are reused for the next shard after <see cref="Clear"/>.
/// </summary>
internal sealed class ShardBuffer
{
    private byte[] _tokens = [];
    private byte[] _mask = [];
    private int _roomRows;
    private byte[] _documents = [];
    private byte[]? _padding;
    private int _paddingToken;

    /// <param name="initialRows">Rows to make room for at once (the arrays grow from there, up to <paramref name="capacity"/>).</param>
    public ShardBuffer(int sequenceLength, int tokenWidth, int capacity, int initialRows = 0)
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
        if (initialRows > 0)
        {
            Grow(Math.Min(initialRows, capacity));
        }
    }

    public int SequenceLength { get; }

    public int TokenWidth { get; }

    /// <summary>The most rows the buffer takes (a shard's rows).</summary>
    public int Capacity { get; }

    public int Rows { get; private set; }

    /// <summary>
    /// False when the rows' token ids are not wanted (their token file is reused: <see cref="ShardSetWriter.ReuseTokens"/>):
    /// rows then set only mask bits and document entries, and their ids are not read.
    /// </summary>
    public bool WithTokens { get; set; } = true;

    public bool IsFull => Rows == Capacity;

    public long DocumentCount { get; private set; }

    /// <summary>Tokens that belong to a document (not padding).</summary>
    public long Tokens { get; private set; }

    /// <summary>Tokens whose loss mask bit is set.</summary>
    public long SupervisedTokens { get; private set; }

    public ReadOnlySpan<byte> TokenBytes => _tokens.AsSpan(0, Rows * SequenceLength * TokenWidth);

    /// <summary>The rows' loss mask, a bit per token (<see cref="MaskBits"/>).</summary>
    public ReadOnlySpan<byte> Mask => _mask.AsSpan(0, (int)ShardFormat.MaskBytes((long)Rows * SequenceLength));

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
        Encode(row.Tokens, _tokens.AsSpan(r * SequenceLength * TokenWidth));
        MaskBits.Pack(row.Loss, _mask, (long)r * SequenceLength);
        foreach (var (start, length, kind) in row.Documents)
        {
            AddDocument(r, start, length, kind);
        }

        SupervisedTokens += SequenceLength - row.Loss.AsSpan().Count((byte)0);
        Rows++;
    }

    /// <summary>
    /// Adds a row holding the <paramref name="members"/> of <paramref name="window"/> one after the other from its
    /// start (each a document), then <paramref name="padToken"/> up to the sequence length. The members' ids are
    /// already encoded at this buffer's width in <paramref name="ids"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<byte> ids, IReadOnlyList<RowMember> window, ReadOnlySpan<int> members, int padToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        int r = BeginRow();
        int rowStart = r * SequenceLength;
        int at = 0;
        foreach (var index in members)
        {
            var member = window[index];
            if (member.Length > SequenceLength - at)
            {
                throw new ArgumentException($"A sample of {member.Length} tokens does not fit in the row.", nameof(members));
            }

            if (WithTokens)
            {
                ids.Slice(member.IdsAt, member.Length * TokenWidth).CopyTo(_tokens.AsSpan((rowStart + at) * TokenWidth));
            }

            SampleView.WriteMask(member.Runs, _mask, (long)rowStart + at);
            AddDocument(r, at, member.Length, member.Kind);
            SupervisedTokens += member.Supervised;
            at += member.Length;
        }

        if (at < SequenceLength && WithTokens)
        {
            PaddingIds(padToken)[..((SequenceLength - at) * TokenWidth)].CopyTo(_tokens.AsSpan((rowStart + at) * TokenWidth));
        }

        Rows++;
    }

    /// <summary>Encodes <paramref name="ids"/> at this buffer's width into <paramref name="destination"/> (little-endian, as the file holds them).</summary>
    /// <exception cref="OverflowException">An id does not fit the width (or is negative).</exception>
    public void Encode(ReadOnlySpan<int> ids, Span<byte> destination) => Encode(ids, destination, TokenWidth);

    /// <summary>Encodes <paramref name="ids"/> at <paramref name="tokenWidth"/> bytes each (2 or 4) into <paramref name="destination"/>, little-endian.</summary>
    /// <exception cref="OverflowException">An id does not fit the width (or is negative).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Encode(ReadOnlySpan<int> ids, Span<byte> destination, int tokenWidth)
    {
        var bytes = destination[..(ids.Length * tokenWidth)];
        if (tokenWidth == 2)
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

    /// <summary>Makes room for <paramref name="rows"/> more rows (as many as the shard still takes) in one step.</summary>
    public void Reserve(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var wanted = (int)Math.Min(Capacity, (long)Rows + rows);
        if (wanted > _roomRows)
        {
            Grow(wanted);
        }
    }

    /// <summary>
    /// Gives the token array back to the shared pool (it came from there: the next compile in the process takes it
    /// instead of a fresh 8 MB array on the large-object heap, whose allocations start full collections). Call only when
    /// nothing reads the buffer any more; it is empty and without room afterwards.
    /// </summary>
    public void Release()
    {
        Clear();
        ReturnTokens();
        _tokens = [];
        _roomRows = 0;
    }

    /// <summary>Empties the buffer for the next shard, keeping its arrays.</summary>
    public void Clear()
    {
        // Rows set mask bits only: the next shard starts from a clear plane.
        _mask.AsSpan(0, Mask.Length).Clear();
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

        if (Rows + 1 > _roomRows)
        {
            // Double the room (at most a shard's), so a small compile never holds a whole shard's arrays.
            Grow((int)Math.Min(Capacity, Math.Max(16, 2L * _roomRows)));
        }

        return Rows;
    }

    private void Grow(int rows)
    {
        // The mask's bits are set one by one, so it starts clear; every token byte of a row is written (ids, then
        // padding) before anything reads it, so the token array (8 MB for a full 2,048-token shard) may come from the
        // shared pool as it is (see Release).
        Array.Resize(ref _mask, checked((int)ShardFormat.MaskBytes((long)rows * SequenceLength)));
        var tokens = ArrayPool<byte>.Shared.Rent(checked(rows * SequenceLength * TokenWidth));
        TokenBytes.CopyTo(tokens);
        ReturnTokens();
        _tokens = tokens;
        _roomRows = rows;
    }

    private void ReturnTokens()
    {
        if (_tokens.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_tokens);
        }
    }

    /// <summary>A whole row of <paramref name="padToken"/> at this buffer's width (made when a row first needs padding).</summary>
    private ReadOnlySpan<byte> PaddingIds(int padToken)
    {
        if (_padding is null || _paddingToken != padToken)
        {
            var ids = new int[SequenceLength];
            ids.AsSpan().Fill(padToken);
            var bytes = new byte[SequenceLength * TokenWidth];
            Encode(ids, bytes);
            (_padding, _paddingToken) = (bytes, padToken);
        }

        return _padding;
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

/// <summary>A sample waiting in a packing window: where its encoded ids start in the window's id buffer, and what its row needs.</summary>
/// <param name="Runs">The sample's runs (<see cref="SampleView.Runs"/>).</param>
internal readonly record struct RowMember(int IdsAt, int Length, int Kind, long Supervised, DocumentSegment[] Runs);
