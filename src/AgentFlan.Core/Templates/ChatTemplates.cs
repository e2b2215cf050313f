namespace AgentFlan.Templates;

/// <summary>
/// The built-in chat templates, by the name a recipe uses. Each is written from its model family's documented
/// prompt format (model cards and tokenizer configs); instructions inside tool lists are our own wording.
/// Special tokens are written as their literal text: a tokenizer that knows them maps them to single ids.
/// </summary>
public static class ChatTemplates
{
    private static readonly ToolSyntax ChatMlTools = new()
    {
        ListBegin = "# Tools\n\nYou may call one or more of the functions below to help with the request. Their signatures are inside <tools></tools>:\n<tools>\n",
        ListEnd = "\n</tools>\n\nTo call a function, reply with a JSON object holding its name and arguments inside <tool_call></tool_call> tags:\n<tool_call>\n{\"name\": <function name>, \"arguments\": <arguments as a JSON object>}\n</tool_call>",
        FunctionWrapper = true,
        CallBegin = "<tool_call>\n",
        CallEnd = "\n</tool_call>",
        ResultBegin = "<tool_response>\n",
        ResultEnd = "\n</tool_response>",
        MergeResults = true,
    };

    private static readonly RoleMarkers ChatMlMarkers = new(
        SystemBegin: "<|im_start|>system\n", SystemEnd: "<|im_end|>\n",
        UserBegin: "<|im_start|>user\n", UserEnd: "<|im_end|>\n",
        AssistantBegin: "<|im_start|>assistant\n", AssistantEnd: "<|im_end|>\n",

        // ChatML has no tool role of its own: results come back in a user turn, inside <tool_response> tags.
        ToolBegin: "<|im_start|>user\n", ToolEnd: "<|im_end|>\n");

    private static readonly Dictionary<string, ChatTemplate> ByName = new(StringComparer.Ordinal)
    {
        // The released Agent-FLAN model's README: U+0D46 and U+0D3F stand where special tokens were probably
        // meant; we keep them literal (DESIGN.md §1). The paper trained plain multi-turn chat, so calls in the
        // natural-chat form are prose with the arguments drawn out.
        ["agentflan"] = new ChatTemplate(
            "agentflan",
            new RoleMarkers(
                SystemBegin: "<|Human|>\u0D46", SystemEnd: "\n ",
                UserBegin: "<|Human|>\u0D46", UserEnd: "\n ",
                AssistantBegin: "<|Assistant|>\u0D46", AssistantEnd: "\u0D3F\n ",
                ToolBegin: "<|Human|>\u0D46", ToolEnd: "\n "),
            new ToolSyntax
            {
                ListEnd = "\nTo use a tool, say which one and give each argument, for example: I'll use tool_name with argument = \"value\".",
                CallStyle = ToolCallStyle.Prose,
                ProseSeparator = " ",
                ResultBegin = "Result from {name}: ",
            }),

        // ChatML (generic) and Qwen 2.5, whose template adds a default system prompt.
        ["chatml"] = new ChatTemplate("chatml", ChatMlMarkers, ChatMlTools),
        ["qwen2.5"] = new ChatTemplate("qwen2.5", ChatMlMarkers with { DefaultSystem = "You are a helpful assistant." }, ChatMlTools),

        // Llama 2 chat: the system block sits inside the first [INST]; no native tool syntax, so calls are
        // JSON objects in the answer and results come back as an [INST] turn.
        ["llama2"] = new ChatTemplate(
            "llama2",
            new RoleMarkers(
                SystemBegin: "<s>[INST] <<SYS>>\n", SystemEnd: "\n<</SYS>>\n\n",
                UserBegin: "<s>[INST] ", UserEnd: " [/INST]",
                AssistantBegin: " ", AssistantEnd: " </s>",
                ToolBegin: "<s>[INST] ", ToolEnd: " [/INST]")
            {
                UserBeginAfterSystem = string.Empty,
            },
            new ToolSyntax
            {
                ListEnd = "\nTo use a tool, reply with a JSON object {\"name\": tool name, \"arguments\": {argument: value}}.",
                ResultBegin = "Result from {name}: ",
            }),

        // Llama 3.1: header-delimited turns; custom tools are called with a bare JSON object whose arguments key
        // is "parameters"; results come back in the ipython role.
        ["llama3"] = new ChatTemplate(
            "llama3",
            new RoleMarkers(
                SystemBegin: "<|start_header_id|>system<|end_header_id|>\n\n", SystemEnd: "<|eot_id|>",
                UserBegin: "<|start_header_id|>user<|end_header_id|>\n\n", UserEnd: "<|eot_id|>",
                AssistantBegin: "<|start_header_id|>assistant<|end_header_id|>\n\n", AssistantEnd: "<|eot_id|>",
                ToolBegin: "<|start_header_id|>ipython<|end_header_id|>\n\n", ToolEnd: "<|eot_id|>",
                Prefix: "<|begin_of_text|>"),
            new ToolSyntax
            {
                ListBegin = "You can call the functions below. To call one, reply with only a JSON object of the form {\"name\": function name, \"parameters\": {argument name: value}}.\n\n",
                FunctionWrapper = true,
                ArgumentsKey = "parameters",
            }),

        // InternLM2 chat: ChatML turns; tools in a system turn named <|plugin|>, calls between <|action_start|>
        // and <|action_end|>, results in an environment turn.
        ["internlm2"] = new ChatTemplate(
            "internlm2",
            new RoleMarkers(
                SystemBegin: "<|im_start|>system\n", SystemEnd: "<|im_end|>\n",
                UserBegin: "<|im_start|>user\n", UserEnd: "<|im_end|>\n",
                AssistantBegin: "<|im_start|>assistant\n", AssistantEnd: "<|im_end|>\n",
                ToolBegin: "<|im_start|>environment name=<|plugin|>\n", ToolEnd: "<|im_end|>\n",
                Prefix: "<s>"),
            new ToolSyntax
            {
                ListPlacement = ToolListPlacement.OwnTurn,
                ListBegin = "<|im_start|>system name=<|plugin|>\n",
                ListEnd = "<|im_end|>\n",
                ListAsArray = true,
                CallBegin = "<|action_start|><|plugin|>\n",
                CallEnd = "<|action_end|>",
                ArgumentsKey = "parameters",
                ProseSeparator = string.Empty,
            }),

        // Mistral (v3 tokenizer, function calling): tools in [AVAILABLE_TOOLS] before the first [INST], the
        // system prompt folded into the first user turn, calls as one JSON array after [TOOL_CALLS], results in
        // [TOOL_RESULTS] as {"content": …}.
        ["mistral"] = new ChatTemplate(
            "mistral",
            new RoleMarkers(
                SystemBegin: string.Empty, SystemEnd: string.Empty,
                UserBegin: "[INST] ", UserEnd: "[/INST]",
                AssistantBegin: string.Empty, AssistantEnd: "</s>",
                ToolBegin: "[TOOL_RESULTS] ", ToolEnd: "[/TOOL_RESULTS]",
                Prefix: "<s>")
            {
                SystemInFirstUser = true,
            },
            new ToolSyntax
            {
                ListPlacement = ToolListPlacement.OwnTurn,
                ListBegin = "[AVAILABLE_TOOLS] ",
                ListEnd = "[/AVAILABLE_TOOLS]",
                ListAsArray = true,
                FunctionWrapper = true,
                CallsBegin = "[TOOL_CALLS] [",
                CallsSeparator = ", ",
                CallsEnd = "]",
                ProseSeparator = string.Empty,
                ResultBegin = "{\"content\": ",
                ResultEnd = "}",
                ResultAsJson = true,
            }),
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
