using System.Buffers;
using System.Runtime.CompilerServices;
using AgentFlan.Shards;
using AgentFlan.Tokenization;

namespace AgentFlan.Packing;

/// <summary>
/// What <see cref="StreamingPacker"/> does, for <see cref="SampleView"/>s and straight into a
/// <see cref="ShardSetWriter"/>: the same windows (about <c>windowRows</c> rows' worth of tokens, boundaries
/// decided by the sample sequence alone), the same first-fit-decreasing placement, the same rows in the same
/// order. A sample's ids are encoded at the shard's width into a window buffer (reused) as it arrives, so the
/// document it came from is garbage at once rather than held until its window is packed, and each row is built
/// in place in its shard: no row, mask or id array per sample.
/// </summary>
/// <remarks>
/// With <c>background</c>, a full window is packed on a thread of its own while the next one fills (two window
/// buffers): packing a window of a shard's rows takes 15–25 ms, and the caller — the compile's consumer, whose
/// tokenizer workers stop once the results waiting for it fill their handoff — would otherwise stall them that long
/// at every shard. Windows are still packed one at a time and in order, so the rows are the same. The writer is the
/// packer's until <see cref="Flush"/> returns: call the writer's other methods only after it.
/// </remarks>
public sealed class ShardPacker : IDisposable
{
    private readonly int _sequenceLength;
    private readonly bool _packing;
    private readonly int _padToken;
    private readonly long _windowTokens;
    private readonly ShardSetWriter _writer;
    private readonly bool _background;
    private Window _filling = new();
    private Window _spare = new();
    private Task _packed = Task.CompletedTask;

    /// <param name="background">Pack full windows on another thread while the next fills (see the remarks).</param>
    public ShardPacker(int sequenceLength, bool packing, int padToken, int windowRows, ShardSetWriter writer, bool background = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowRows, 1);
        ArgumentNullException.ThrowIfNull(writer);
        _sequenceLength = sequenceLength;
        _packing = packing;
        _padToken = padToken;
        _windowTokens = (long)windowRows * sequenceLength;
        _writer = writer;
        _background = background;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(SampleView sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Length > _sequenceLength)
        {
            throw new ArgumentException($"Sample '{sample.Id}' has {sample.Length} tokens, more than the row length {_sequenceLength}; apply the over-length policy first.", nameof(sample));
        }

        // A segment whose token files are reused places masks only: its ids are not needed.
        var window = _filling;
        int bytes = _writer.WritesTokens ? sample.Length * _writer.TokenWidth : 0;
        if (window.IdsUsed + bytes > window.Ids.Length)
        {
            // Doubled, but never past what a window can hold (its tokens plus one sample's). From the shared pool and
            // given back when the packer is disposed (see Dispose), not zeroed: only the bytes written are read.
            var most = Math.Min(Array.MaxLength, (_windowTokens + _sequenceLength) * _writer.TokenWidth);
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(window.IdsUsed + bytes, (int)Math.Min(most, Math.Max(2L * window.Ids.Length, 1L << 16))));
            window.Ids.AsSpan(0, window.IdsUsed).CopyTo(larger);
            window.Replace(larger);
        }

        if (bytes > 0)
        {
            ShardBuffer.Encode(sample.Tokens, window.Ids.AsSpan(window.IdsUsed, bytes), _writer.TokenWidth);
        }

        window.Members.Add(new RowMember(window.IdsUsed, sample.Length, (int)sample.Kind, sample.SupervisedCount, sample.RunArray));
        window.IdsUsed += bytes;
        window.Length += _packing ? sample.Length : _sequenceLength;
        if (window.Length >= _windowTokens)
        {
            PackFilling(wait: !_background);
        }
    }

    /// <summary>Packs whatever is gathered and waits until every window is in the writer (call at a segment's end).</summary>
    public void Flush() => PackFilling(wait: true);

    /// <summary>
    /// Waits for a window being packed (its failure is not thrown: the compile is failing already, or <see cref="Flush"/>
    /// reported it), then gives the windows' buffers back to the shared pool: a compile's windows are 8 MB arrays, which
    /// fresh would be large-object-heap allocations, each bringing a full collection nearer.
    /// </summary>
    public void Dispose()
    {
        try
        {
            Threading.Blocking.Wait(_packed);
        }
        catch (Exception)
        {
            // Reported by Flush or Add, or the caller is unwinding from a failure of its own.
        }

        _filling.Release();
        _spare.Release();
    }

    private void PackFilling(bool wait)
    {
        // One window at a time, in order: the one before is in the writer first (its failure is thrown here).
        Threading.Blocking.Wait(_packed);
        var full = _filling;
        (_filling, _spare) = (_spare, full);
        _filling.Clear();
        if (wait)
        {
            Pack(full);
            return;
        }

        _packed = Task.Factory.StartNew(() => Pack(full), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Pack(Window window)
    {
        var ids = window.Ids.AsSpan(0, window.IdsUsed);
        var members = window.Members;
        if (_packing)
        {
            var lengths = new int[members.Count];
            for (int i = 0; i < lengths.Length; i++)
            {
                lengths[i] = members[i].Length;
            }

            if (lengths.Length > 0)
            {
                var (placed, starts) = Packer.FirstFitDecreasingFlat(lengths, _sequenceLength);
                _writer.Reserve(starts.Length - 1);
                for (int b = 0; b + 1 < starts.Length; b++)
                {
                    _writer.Add(ids, members, placed.AsSpan(starts[b], starts[b + 1] - starts[b]), _padToken);
                }
            }
        }
        else
        {
            _writer.Reserve(members.Count);
            for (int i = 0; i < members.Count; i++)
            {
                _writer.Add(ids, members, new ReadOnlySpan<int>(in i), _padToken);
            }
        }
    }

    /// <summary>A window's samples: their ids at the shards' width, one after the other, and where each is.</summary>
    private sealed class Window
    {
        public byte[] Ids { get; set; } = [];

        public int IdsUsed { get; set; }

        public List<RowMember> Members { get; } = [];

        /// <summary>Tokens the window's rows take so far (a row's worth per sample without packing).</summary>
        public long Length { get; set; }

        public void Clear()
        {
            Members.Clear();
            IdsUsed = 0;
            Length = 0;
        }

        /// <summary>Takes <paramref name="larger"/> (holding the ids so far) as <see cref="Ids"/>, giving the old array back to the shared pool.</summary>
        public void Replace(byte[] larger)
        {
            if (Ids.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Ids);
            }

            Ids = larger;
        }

        /// <summary>Empties the window and gives <see cref="Ids"/> back to the shared pool it came from.</summary>
        public void Release()
        {
            Clear();
            Replace([]);
        }
    }
}
