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

    public List<CapabilityStatistics> Measure(RenderPlan plan) => CapabilityStatistics.Measure(plan, _eligible, _achieved);
}
