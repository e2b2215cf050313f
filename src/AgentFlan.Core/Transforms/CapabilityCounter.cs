using System.Runtime.CompilerServices;
using AgentFlan.Tokenization;

namespace AgentFlan.Transforms;

/// <summary>Counts eligible and supervised tokens per capability as samples stream past.</summary>
public sealed class CapabilityCounter
{
    private readonly long[] _eligible = new long[CapabilityStatistics.Decomposed.Length + 1];
    private readonly long[] _achieved = new long[CapabilityStatistics.Decomposed.Length + 1];

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
}
