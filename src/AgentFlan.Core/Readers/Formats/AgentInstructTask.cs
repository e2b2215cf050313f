namespace AgentFlan.Readers.Formats;

/// <summary>
/// The six AgentInstruct splits, each with its own action syntax, and <see cref="General"/>: tools declared as
/// JSON in the first human turn, called as <c>Action: name({…})</c> (or no tools and no actions: plain chat).
/// </summary>
internal enum AgentInstructTask
{
    OperatingSystem,
    Database,
    KnowledgeGraph,
    WebShop,
    AlfWorld,
    Mind2Web,
    General,
}
