using AgentFlan.Readers.Formats;

namespace AgentFlan.Readers;

/// <summary>The registry of source formats a recipe (or <c>agentflan read</c>) can name.</summary>
public static class SourceReaders
{
    private static readonly Dictionary<string, ISourceReader> Readers = new ISourceReader[]
    {
        new JsonSourceReader("agentflan", AgentFlanMapper.Map),
        new JsonSourceReader("agentinstruct", AgentInstructMapper.Map),
        new JsonSourceReader("toolbench", ToolBenchMapper.Map),
        new JsonSourceReader("toolllama", ToolLlamaMapper.Map),
        new JsonSourceReader("glaive", GlaiveMapper.Map),
        new JsonSourceReader("sharegpt", ShareGptMapper.Map),
        new JsonSourceReader("openai", OpenAiMapper.Map),
    }.ToDictionary(reader => reader.Format, StringComparer.OrdinalIgnoreCase);

    /// <summary>Format names, in the order docs/formats.md describes them.</summary>
    public static IReadOnlyList<string> Formats { get; } =
        ["agentflan", "agentinstruct", "toolbench", "toolllama", "glaive", "sharegpt", "openai"];

    /// <summary>The reader for a format name (case-insensitive), or null when the name is unknown.</summary>
    public static ISourceReader? Find(string format) =>
        Readers.GetValueOrDefault(format ?? throw new ArgumentNullException(nameof(format)));
}
