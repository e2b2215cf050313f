namespace AgentFlan.Templates;

/// <summary>The built-in chat templates, by the name a recipe uses.</summary>
public static class ChatTemplates
{
    private static readonly Dictionary<string, ChatTemplate> ByName = new(StringComparer.Ordinal)
    {
        // The released Agent-FLAN model's README: U+0D46 and U+0D3F stand where special tokens were probably
        // meant; we keep them literal (DESIGN.md §1).
        ["agentflan"] = new ChatTemplate("agentflan", new RoleMarkers(
            SystemBegin: "<|Human|>\u0D46", SystemEnd: "\n ",
            UserBegin: "<|Human|>\u0D46", UserEnd: "\n ",
            AssistantBegin: "<|Assistant|>\u0D46", AssistantEnd: "\u0D3F\n ",
            ToolBegin: "<|Human|>\u0D46", ToolEnd: "\n ")),

        // ChatML (Qwen 2.5 and many others).
        ["chatml"] = new ChatTemplate("chatml", new RoleMarkers(
            SystemBegin: "<|im_start|>system\n", SystemEnd: "<|im_end|>\n",
            UserBegin: "<|im_start|>user\n", UserEnd: "<|im_end|>\n",
            AssistantBegin: "<|im_start|>assistant\n", AssistantEnd: "<|im_end|>\n",
            ToolBegin: "<|im_start|>tool\n", ToolEnd: "<|im_end|>\n")),
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>A built-in by name, or a template file by absolute path (as the recipe loader resolved it).</summary>
    public static ChatTemplate Get(string nameOrPath)
    {
        if (ByName.TryGetValue(nameOrPath, out var template))
        {
            return template;
        }

        if (Path.IsPathRooted(nameOrPath))
        {
            var diagnostics = new List<Diagnostics.Diagnostic>();
            return ChatTemplateFile.Load(nameOrPath, diagnostics) ?? throw new Diagnostics.DiagnosticException(diagnostics);
        }

        throw new ArgumentException($"Unknown chat template '{nameOrPath}'.", nameof(nameOrPath));
    }
}
