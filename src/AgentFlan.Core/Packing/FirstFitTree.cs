using System.Runtime.CompilerServices;
namespace AgentFlan.Packing;

/// <summary>
/// First fit in O(log n): a max segment tree over the free space of n bins, all starting empty. Finding the
/// leftmost bin with room for an item walks one root-to-leaf path, instead of scanning every open bin.
/// Unopened bins are simply the empty leaves to the right of the opened ones.
/// </summary>
internal sealed class FirstFitTree
{
    private readonly int _leaves;
    private readonly int[] _max;

    public FirstFitTree(int bins, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        _leaves = 1;
        while (_leaves < bins)
        {
            _leaves <<= 1;
        }

        _max = new int[2 * _leaves];
        for (int i = 0; i < bins; i++)
        {
            _max[_leaves + i] = capacity;
        }

        for (int i = _leaves - 1; i >= 1; i--)
        {
            _max[i] = Math.Max(_max[2 * i], _max[(2 * i) + 1]);
        }
    }

    /// <summary>Places an item of <paramref name="size"/> in the leftmost bin with room; returns the bin, or -1 when none has room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Place(int size)
    {
        if (_max[1] < size)
        {
            return -1;
        }

        int node = 1;
        while (node < _leaves)
        {
            node = _max[2 * node] >= size ? 2 * node : (2 * node) + 1;
        }

        int bin = node - _leaves;
        _max[node] -= size;
        for (node >>= 1; node >= 1; node >>= 1)
        {
            _max[node] = Math.Max(_max[2 * node], _max[(2 * node) + 1]);
        }

        return bin;
    }
}
