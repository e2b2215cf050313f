namespace AgentFlan.Readers;

/// <summary>
/// Codes for rejected and repaired records (AFB1xxx, sources). These belong in
/// <c>Diagnostics/DiagnosticCodes</c> and docs/diagnostics.md; docs/formats.md says which reader emits each.
/// AFB1001 (<c>SourceUnreadable</c>) is reused for files that cannot be opened or decompressed.
/// </summary>
public static class ReaderCodes
{
    // Rejections: the record is not a conversation.
    public const string MalformedJson = "AFB1003";
    public const string StreamBroken = "AFB1004";
    public const string UnexpectedShape = "AFB1005";
    public const string UnknownRole = "AFB1006";
    public const string EmptyConversation = "AFB1007";
    public const string InvalidToolCall = "AFB1008";
    public const string UnparsedAction = "AFB1009";
    public const string UndeclaredTool = "AFB1010";
    public const string ConflictingToolDeclaration = "AFB1011";
    public const string UnknownTask = "AFB1012";
    public const string RecordTooLarge = "AFB1013";
    public const string OrphanToolResult = "AFB1014";
    public const string InvalidToolSpec = "AFB1015";
    public const string ReaderFault = "AFB1016";

    // Filters: valid records the method leaves out on purpose (ToolBench keeps only finished trajectories).
    public const string TrajectoryNotValid = "AFB1017";
    public const string NoFinalAnswer = "AFB1018";
    public const string NotATrajectory = "AFB1019";

    // Repairs: a defect with one unambiguous reading, fixed and counted.
    public const string StrayEndOfText = "AFB1020";
    public const string DuplicateToolDeclaration = "AFB1021";
    public const string ArgumentsUnescaped = "AFB1022";
    public const string TextBeforeCall = "AFB1023";
    public const string ArgumentsNotString = "AFB1024";
    public const string ContentPartsJoined = "AFB1025";
    public const string ArgumentsPythonLiteral = "AFB1026";
    public const string TruncatedResult = "AFB1027";

    /// <summary>Codes of records left out by design rather than for a defect; tolerances may ignore them.</summary>
    public static IReadOnlySet<string> Filters { get; } =
        new HashSet<string> { TrajectoryNotValid, NoFinalAnswer, NotATrajectory };

    /// <summary>Code → one-line title, for docs/diagnostics.md and <c>DiagnosticCodes.Titles</c>.</summary>
    public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>
    {
        [MalformedJson] = "A record is not well-formed JSON; it is quarantined and reading goes on at the next line.",
        [StreamBroken] = "A JSON array is truncated or broken (or a compressed file is damaged); the rest of the file is quarantined as one record.",
        [UnexpectedShape] = "A record lacks a required field or a field has the wrong JSON type.",
        [UnknownRole] = "A turn names a role the format does not define.",
        [EmptyConversation] = "A record has no turns, or no turn with text or a tool call.",
        [InvalidToolCall] = "A tool call has no name or its arguments are not a JSON object.",
        [UnparsedAction] = "An agent turn announces an action that cannot be parsed in its task's syntax.",
        [UndeclaredTool] = "A tool call names a function the record does not declare.",
        [ConflictingToolDeclaration] = "A record declares two different functions under one name.",
        [UnknownTask] = "An AgentInstruct record's task cannot be told from its id or its turns.",
        [RecordTooLarge] = "A single record is larger than the reader's limit (256 MiB).",
        [OrphanToolResult] = "A tool result does not follow any tool call.",
        [InvalidToolSpec] = "A tool specification has no name or its parameters are not a JSON object.",
        [ReaderFault] = "A reader failed on a record in an unexpected way (a bug: please report it with the record).",
        [TrajectoryNotValid] = "Filtered: a ToolBench trajectory is marked invalid (valid_data is false).",
        [NoFinalAnswer] = "Filtered: a ToolBench/ToolLLaMA trajectory does not end in Finish with give_answer.",
        [NotATrajectory] = "Filtered: a ToolBench query-file entry, which has no trajectory (read the answer folder instead).",
        [StrayEndOfText] = "Repaired: a stray <|endoftext|> marker inside a turn was removed.",
        [DuplicateToolDeclaration] = "Repaired: a function declared twice with the same specification was kept once.",
        [ArgumentsUnescaped] = "Repaired: tool-call arguments with backslash-escaped quotes were unescaped to JSON.",
        [TextBeforeCall] = "Repaired: text before a <functioncall> was kept as the assistant's content.",
        [ArgumentsNotString] = "Repaired: tool-call arguments given as a JSON object instead of a JSON string were accepted.",
        [ContentPartsJoined] = "Repaired: content given as a list of text parts was joined into one string.",
        [ArgumentsPythonLiteral] = "Repaired: tool-call arguments written as a Python literal were converted to JSON.",
        [TruncatedResult] = "Repaired: a ToolBench function result cut inside its JSON envelope was read up to the cut.",
    };
}
