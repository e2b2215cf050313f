using AgentFlan.Shards;
using AgentFlan.Tokenization;

namespace AgentFlan.Packing;

/// <summary>
/// Packs an unbounded stream of samples in bounded memory: samples are gathered into windows of about
/// <c>windowRows</c> rows' worth of tokens, and each window is packed with first-fit-decreasing
/// (<see cref="Packer"/>). Window boundaries depend only on the sample sequence, so the rows are the same
/// for the same input however it was produced. Memory holds one window, whatever the corpus size; the cost
/// is that the last row of each window may be less full than a whole-corpus packing would make it.
/// </summary>
public sealed class StreamingPacker
{
    private readonly int _sequenceLength;
    private readonly bool _packing;
    private readonly int _padToken;
    private readonly long _windowTokens;
    private readonly List<TokenizedSample> _window = [];
    private long _windowLength;

    public StreamingPacker(int sequenceLength, bool packing, int padToken, int windowRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowRows, 1);
        _sequenceLength = sequenceLength;
        _packing = packing;
        _padToken = padToken;
        _windowTokens = (long)windowRows * sequenceLength;
    }

    /// <summary>Adds a sample; returns the rows of a completed window (usually none).</summary>
    public IReadOnlyList<PackedRow> Add(TokenizedSample sample)
    {
        _window.Add(sample);
        _windowLength += _packing ? sample.Length : _sequenceLength;
        return _windowLength >= _windowTokens ? Flush() : [];
    }

    /// <summary>Packs whatever is gathered (call once at the end).</summary>
    public IReadOnlyList<PackedRow> Flush()
    {
        var rows = Packer.Pack(_window, _sequenceLength, _packing, _padToken);
        _window.Clear();
        _windowLength = 0;
        return rows;
    }
}
