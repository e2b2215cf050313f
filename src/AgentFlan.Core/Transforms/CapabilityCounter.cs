using System.Runtime.CompilerServices;
using AgentFlan.Tokenization;

namespace AgentFlan.Transforms;

/// <summary>Counts eligible and supervised tokens per capability as samples stream past.</summary>
public sealed class CapabilityCounter
{
    private long[] _eligible = new long[CapabilityStatistics.Decomposed.Length + 1];
    private long[] _achieved = new long[CapabilityStatistics.Decomposed.Length + 1];

    /// <summary>Tokens labelled with each capability (index = <see cref="Conversations.Capability"/>), whatever the weights.</summary>
    public long[] Eligible
    {
        get => _eligible;
        set => _eligible = Sized(value);
    }

    /// <summary>Of those, the tokens still supervised after the weights.</summary>
    public long[] Achieved
    {
        get => _achieved;
        set => _achieved = Sized(value);
    }

    /// <summary>Adds <paramref name="other"/>'s counts to these.</summary>
    public void Add(CapabilityCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int c = 0; c < _eligible.Length; c++)
        {
            _eligible[c] += other._eligible[c];
            _achieved[c] += other._achieved[c];
        }
    }

    public void Add(TokenizedSample sample)
    {
        for (int i = 0; i < sample.Length; i++)
        {
            var c = (int)sample.Capabilities[i];
            if (c > 0)
            {
                _eligible[c]++;
                _achieved[c] += sample.Loss[i];
            }
        }
    }

    /// <summary>The same counts from a view's runs: a run's tokens are all eligible for its capability, and achieved when supervised.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(SampleView sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        foreach (var run in sample.Runs)
        {
            var c = (int)run.Capability;
            if (c > 0)
            {
                _eligible[c] += run.Length;
                _achieved[c] += run.Supervised ? run.Length : 0;
            }
        }
    }

    public List<CapabilityStatistics> Measure(RenderPlan plan) => CapabilityStatistics.Measure(plan, _eligible, _achieved);

    private static long[] Sized(long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var sized = new long[CapabilityStatistics.Decomposed.Length + 1];
        counts.AsSpan(0, Math.Min(counts.Length, sized.Length)).CopyTo(sized);
        return sized;
    }
}
