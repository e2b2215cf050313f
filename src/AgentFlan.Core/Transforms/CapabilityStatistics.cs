using AgentFlan.Conversations;
using AgentFlan.Tokenization;

namespace AgentFlan.Transforms;

/// <summary>
/// Requested against achieved supervision for one capability, counted on the final samples (after truncation):
/// <see cref="Eligible"/> tokens carry the capability, <see cref="Requested"/> is weight × eligible, and
/// <see cref="Achieved"/> tokens are actually supervised. Shares are of the four capabilities' totals.
/// </summary>
public sealed record CapabilityStatistics(string Capability, double Weight, long Eligible, long Requested, long Achieved, double RequestedShare, double AchievedShare)
{
    public static readonly Capability[] Decomposed = [Conversations.Capability.Reasoning, Conversations.Capability.Retrieval, Conversations.Capability.Understanding, Conversations.Capability.InstructionFollowing];

    public static string Name(Capability capability) => capability switch
    {
        Conversations.Capability.Reasoning => "reasoning",
        Conversations.Capability.Retrieval => "retrieval",
        Conversations.Capability.Understanding => "understanding",
        Conversations.Capability.InstructionFollowing => "instruction_following",
        _ => "none",
    };

    public static List<CapabilityStatistics> Measure(RenderPlan plan, IEnumerable<TokenizedSample> samples)
    {
        var counter = new CapabilityCounter();
        foreach (var sample in samples)
        {
            counter.Add(sample);
        }

        return counter.Measure(plan);
    }

    internal static List<CapabilityStatistics> Measure(RenderPlan plan, long[] eligible, long[] achieved)
    {
        var requested = Decomposed.Select(c => (long)Math.Round(plan.Weight(c) * eligible[(int)c])).ToArray();
        double requestedTotal = requested.Sum(), achievedTotal = Decomposed.Sum(c => achieved[(int)c]);
        return [.. Decomposed.Select((c, i) => new CapabilityStatistics(
            Name(c),
            plan.Weight(c),
            eligible[(int)c],
            requested[i],
            achieved[(int)c],
            requestedTotal == 0 ? 0 : Math.Round(requested[i] / requestedTotal, 4),
            achievedTotal == 0 ? 0 : Math.Round(achieved[(int)c] / achievedTotal, 4)))];
    }
}
