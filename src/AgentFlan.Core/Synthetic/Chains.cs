namespace AgentFlan.Synthetic;

/// <summary>Multi-step requests whose later calls take their arguments from earlier results.</summary>
internal static class Chains
{
    public static ScenarioResult? TryBuild(ScenarioContext ctx) => null;
}
