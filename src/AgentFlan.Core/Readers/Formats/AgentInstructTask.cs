namespace AgentFlan.Readers.Formats;

/// <summary>The six AgentInstruct splits; each has its own action syntax.</summary>
internal enum AgentInstructTask
{
    OperatingSystem,
    Database,
    KnowledgeGraph,
    WebShop,
    AlfWorld,
    Mind2Web,
}
