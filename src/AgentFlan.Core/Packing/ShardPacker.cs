using System.Runtime.CompilerServices;
using AgentFlan.Shards;
using AgentFlan.Tokenization;

namespace AgentFlan.Packing;

/// <summary>
/// What <see cref="StreamingPacker"/> does, for <see cref="SampleView"/>s and straight into a
/// <see cref="ShardSetWriter"/>: the same windows (about <c>windowRows</c> rows' worth of tokens, boundaries
/// decided by the sample sequence alone), the same first-fit-decreasing placement, the same rows in the same
/// order. A sample's ids are encoded at the shard's width into one window buffer (reused) as it arrives, so the
/// document it came from is garbage at once rather than held until its window is packed, and each row is built
/// in place in its shard: no row, mask or id array per sample.
/// </summary>
public sealed class ShardPacker
{
    private readonly int _sequenceLength;
    private readonly bool _packing;
    private readonly int _padToken;
    private readonly long _windowTokens;
    private readonly ShardSetWriter _writer;
    private readonly List<RowMember> _window = [];
    private byte[] _ids = [];
    private int _idsUsed;
    private long _windowLength;

    public ShardPacker(int sequenceLength, bool packing, int padToken, int windowRows, ShardSetWriter writer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowRows, 1);
        ArgumentNullException.ThrowIfNull(writer);
        _sequenceLength = sequenceLength;
        _packing = packing;
        _padToken = padToken;
        _windowTokens = (long)windowRows * sequenceLength;
        _writer = writer;
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
        int bytes = _writer.WritesTokens ? sample.Length * _writer.TokenWidth : 0;
        if (_idsUsed + bytes > _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(_idsUsed + bytes, (int)Math.Min(Array.MaxLength, Math.Max(2L * _ids.Length, 1L << 16))));
        }

        if (bytes > 0)
        {
            _writer.Encode(sample.Tokens, _ids.AsSpan(_idsUsed, bytes));
        }

        _window.Add(new RowMember(_idsUsed, sample.Length, (int)sample.Kind, sample.SupervisedCount, sample.RunArray));
        _idsUsed += bytes;
        _windowLength += _packing ? sample.Length : _sequenceLength;
        if (_windowLength >= _windowTokens)
        {
            Flush();
        }
    }

    /// <summary>Packs whatever is gathered (call once at the end).</summary>
    public void Flush()
    {
        var ids = _ids.AsSpan(0, _idsUsed);
        if (_packing)
        {
            var lengths = new int[_window.Count];
            for (int i = 0; i < lengths.Length; i++)
            {
                lengths[i] = _window[i].Length;
            }

            if (lengths.Length > 0)
            {
                var (members, starts) = Packer.FirstFitDecreasingFlat(lengths, _sequenceLength);
                for (int b = 0; b + 1 < starts.Length; b++)
                {
                    _writer.Add(ids, _window, members.AsSpan(starts[b], starts[b + 1] - starts[b]), _padToken);
                }
            }
        }
        else
        {
            for (int i = 0; i < _window.Count; i++)
            {
                _writer.Add(ids, _window, new ReadOnlySpan<int>(in i), _padToken);
            }
        }

        _window.Clear();
        _idsUsed = 0;
        _windowLength = 0;
    }
}
