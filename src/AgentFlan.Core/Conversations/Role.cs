namespace AgentFlan.Conversations;

public enum Role
{
    System,
    User,
    Assistant,
    Tool,
}
