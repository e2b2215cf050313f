namespace AgentFlan.Diagnostics;

/// <summary>
/// Every diagnostic code the product emits. Codes are never reused; docs/diagnostics.md lists each one
/// (a test keeps the two in step). Buckets: 0xxx recipe/YAML, 1xxx sources, 2xxx tokenize/shards,
/// 3xxx cache, 4xxx task/target use, 5xxx training, 6xxx evaluation, 9xxx internal.
/// </summary>
public static class DiagnosticCodes
{
    public const string YamlSyntax = "AFB0001";
    public const string UnknownKey = "AFB0002";
    public const string WrongType = "AFB0003";
    public const string OutOfRange = "AFB0004";
    public const string MissingKey = "AFB0005";
    public const string ReferencedFileMissing = "AFB0006";
    public const string UnknownName = "AFB0007";
    public const string RecipeNotFound = "AFB0008";
    public const string DuplicateKey = "AFB0009";
    public const string NotYetApplied = "AFB0010";
    public const string InvalidOverride = "AFB0011";
    public const string ExtendsCycle = "AFB0012";

    public const string SourceUnreadable = "AFB1001";
    public const string SourceEmpty = "AFB1002";

    // AFB1003–AFB1027: rejected, filtered and repaired records; see Readers/ReaderCodes.cs.
    public const string SourceOverTolerance = "AFB1028";

    public const string NoSupervisedTokens = "AFB2001";
    public const string SampleTooLong = "AFB2002";
    public const string ShardInvalid = "AFB2003";
    public const string TokenizerUnavailable = "AFB2004";
    public const string SpecialTokenMissing = "AFB2005";
    public const string ReportChartsFailed = "AFB2006";

    public const string CacheEntryCorrupt = "AFB3001";

    public const string TaskParameterInvalid = "AFB4001";
    public const string TrainerFailed = "AFB4002";
    public const string NativeLibraryPatchFailed = "AFB4003";
    public const string TargetUnavailable = "AFB4004";
    public const string TorchBackendUnavailable = "AFB4005";

    public const string TrainingConfigInvalid = "AFB5001";
    public const string TrainingDiverged = "AFB5002";
    public const string TrainingDataMissing = "AFB5003";
    public const string CheckpointFailed = "AFB5004";

    public const string EvaluationCheckpointMissing = "AFB6001";
    public const string EvaluationJobInvalid = "AFB6002";
    public const string EvaluationSourceUnreadable = "AFB6003";

    public const string InternalError = "AFB9001";

    /// <summary>Code → one-line title (including the readers' record codes), for docs and for the "every code is documented" test.</summary>
    public static IReadOnlyDictionary<string, string> Titles { get; } = OwnTitles().Concat(Readers.ReaderCodes.Titles).ToDictionary();

    private static Dictionary<string, string> OwnTitles() => new()
    {
        [YamlSyntax] = "The recipe is not well-formed YAML.",
        [UnknownKey] = "A recipe key is not part of the schema (the message suggests the closest known key).",
        [WrongType] = "A recipe value has the wrong type (for example text where a number is expected).",
        [OutOfRange] = "A recipe value is outside its allowed range.",
        [MissingKey] = "A required recipe key is missing.",
        [ReferencedFileMissing] = "A file the recipe names does not exist (the message gives the resolved path).",
        [UnknownName] = "A named choice (source format, template, tokenizer, model kind) is not known.",
        [RecipeNotFound] = "The recipe file itself does not exist.",
        [DuplicateKey] = "A key appears twice in the same YAML mapping.",
        [NotYetApplied] = "A recipe setting is valid but this version does not apply it yet (warning; the message names what is missing).",
        [InvalidOverride] = "A command-line override (AgentFlanOverrides) is malformed or names nothing in the recipe.",
        [ExtendsCycle] = "Recipes extend each other in a cycle (or more than 16 deep).",
        [SourceUnreadable] = "A source file could not be read.",
        [SourceEmpty] = "A source produced no usable conversation.",
        [SourceOverTolerance] = "A source rejected a larger share of its records than its 'tolerance' allows (the quarantine file lists each one).",
        [NoSupervisedTokens] = "No sample of the recipe has a supervised token.",
        [SampleTooLong] = "A sample is longer than the sequence length and the over-length policy is 'error'.",
        [ShardInvalid] = "A shard file is damaged or of an unknown format version.",
        [TokenizerUnavailable] = "The tokenizer cannot be loaded.",
        [SpecialTokenMissing] = "The chat template needs a special token that the tokenizer does not define.",
        [ReportChartsFailed] = "The dataset report's charts could not be drawn; report.md says so in place of the charts.",
        [CacheEntryCorrupt] = "A cache entry failed its integrity check; it is ignored and rebuilt.",
        [TaskParameterInvalid] = "An MSBuild task or target was used with invalid parameters.",
        [TrainerFailed] = "The trainer process failed or could not be started.",
        [NativeLibraryPatchFailed] = "The Debian 12 loader fix for libLibTorchSharp.so could not be applied (the file is not the expected ELF).",
        [TargetUnavailable] = "A target was invoked that this version does not provide yet.",
        [TorchBackendUnavailable] = "AgentFlanTorchBackend names an unknown backend, or no LibTorch runtime package exists for this OS and backend.",
        [TrainingConfigInvalid] = "The trainer's configuration is invalid.",
        [TrainingDiverged] = "The training loss became NaN or infinite.",
        [TrainingDataMissing] = "The compiled training data the trainer needs is missing.",
        [CheckpointFailed] = "A checkpoint could not be written or read.",
        [EvaluationCheckpointMissing] = "The checkpoint to evaluate does not exist: train the recipe first.",
        [EvaluationJobInvalid] = "The evaluation job or experiment plan is invalid (malformed JSON, a bad value, or no room for a prompt).",
        [EvaluationSourceUnreadable] = "An evaluation source ('evaluation.sources', e.g. glaive-function-calling-v2 on disk) is missing or yields no conversation (the message gives the path).",
        [InternalError] = "An unexpected internal error (a bug: please report it with the build log).",
    };
}
