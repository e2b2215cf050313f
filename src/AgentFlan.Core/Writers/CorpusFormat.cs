namespace AgentFlan.Writers;

/// <summary>The public source formats the writers produce (../shared/formats/README.md).</summary>
public enum CorpusFormat
{
    /// <summary>Agent-FLAN release: JSON Lines of <c>{id, conversation: [{role, content, loss}]}</c>.</summary>
    AgentFlan,

    /// <summary>AgentInstruct: JSON Lines of <c>{id, conversations: [{from, loss, value}]}</c>.</summary>
    AgentInstruct,

    /// <summary>ToolBench answer files: a folder holding one JSON object per query.</summary>
    ToolBench,

    /// <summary>ToolLLaMA training file: a JSON array of <c>{id, conversations: [{from, value}]}</c> in ReAct form.</summary>
    ToolLlama,

    /// <summary>glaive-function-calling-v2: a JSON array of <c>{system, chat}</c>.</summary>
    Glaive,

    /// <summary>ShareGPT with the function_call / observation roles of its tool-calling fork: a JSON array.</summary>
    ShareGpt,

    /// <summary>OpenAI-style messages with tools, JSON Lines.</summary>
    OpenAi,
}
