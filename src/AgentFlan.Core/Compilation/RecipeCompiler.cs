using System.Globalization;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Hashing;
using AgentFlan.IO;
using AgentFlan.Packing;
using AgentFlan.Recipes;
using AgentFlan.Shards;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Transforms;

namespace AgentFlan.Compilation;

/// <summary>
/// Compiles a recipe into a training set: read sources → render with the chat template → tokenize with
/// the loss mask → apply the over-length policy → pack → write shards, report and, last, manifest.json.
/// The manifest is written last and atomically, so an interrupted compile never leaves an output that
/// looks complete to MSBuild's up-to-date check.
/// </summary>
public static class RecipeCompiler
{
    public const int RowsPerShard = 2048;
    public const string ManifestFileName = "manifest.json";
    public const string ReportFileName = "report.md";

    public static CompileResult Compile(Recipe recipe, string outputDirectory, CancellationToken cancellationToken = default)
    {
        var loader = new SourceLoader(recipe, outputDirectory);
        var transformed = AgentFlanTransforms.Apply(recipe, loader.Read(cancellationToken));
        return Compile(recipe, transformed.Conversations, outputDirectory, loader, transformed, cancellationToken);
    }

    /// <summary>Compiles conversations in their final form: the Agent-FLAN transforms are not applied (capability weights are).</summary>
    public static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, CancellationToken cancellationToken = default) =>
        Compile(recipe, conversations, outputDirectory, loader: null, transformed: null, cancellationToken);

    private static CompileResult Compile(Recipe recipe, IEnumerable<Conversation> conversations, string outputDirectory, SourceLoader? loader, TransformResult? transformed, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        var tokenizer = TokenizerLoader.Load(recipe.Tokenizer);
        var template = ChatTemplates.Get(recipe.Template);
        var plan = transformed?.Plan ?? RenderPlan.For(recipe);
        var sampler = new SampleTokenizer(tokenizer, template, recipe.Masking, plan);
        int length = recipe.Sequence.Length;

        var samples = new List<TokenizedSample>();
        var conversationsByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long conversationCount = 0, truncated = 0, dropped = 0, unsupervised = 0;
        Conversation? example = null;
        foreach (var conversation in conversations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            conversationCount++;
            example ??= conversation.Messages.Any(m => m.ToolCalls.Count > 0) ? conversation : null;
            var kind = KindName(conversation.Kind);
            conversationsByKind[kind] = conversationsByKind.GetValueOrDefault(kind) + 1;

            var sample = sampler.Tokenize(conversation);
            if (sample.Length > length)
            {
                switch (recipe.Sequence.OverLength)
                {
                    case OverLengthPolicy.Error:
                        throw new DiagnosticException(Diagnostic.Error(
                            DiagnosticCodes.SampleTooLong,
                            $"Sample '{conversation.Id}' ({Where(conversation.Provenance)}) has {sample.Length} tokens; sequence.length is {length} and sequence.over_length is 'error'.",
                            recipe.FilePath));
                    case OverLengthPolicy.Drop:
                        dropped++;
                        continue;
                    default:
                        truncated++;
                        sample = sample with
                        {
                            Tokens = sample.Tokens[..length],
                            Loss = sample.Loss[..length],
                            Capabilities = sample.Capabilities[..length],
                        };
                        break;
                }
            }

            if (sample.SupervisedCount == 0)
            {
                unsupervised++;
                continue;
            }

            samples.Add(sample);
        }

        var budgeted = Mixer.LimitTokens(samples, recipe.Mixing.MaxTokens, recipe.Seed);
        var transformStatistics = (transformed?.Statistics ?? new TransformStatistics()) with { TokenBudgetRemoved = samples.Count - budgeted.Count };
        samples = budgeted;

        if (samples.Count == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.NoSupervisedTokens,
                $"Recipe '{recipe.Name}' produced no sample with a supervised token ({conversationCount} conversations read, {dropped} dropped as over-length, {unsupervised} without an assistant turn to learn).",
                recipe.FilePath));
        }

        var rows = Packer.Pack(samples, length, recipe.Sequence.Packing, tokenizer.Info.EndOfText);
        var shards = WriteShards(rows, outputDirectory, length, tokenizer.Info.VocabularySize <= ushort.MaxValue + 1 ? 2 : 4);

        var supervisedByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var kind = KindName(sample.Kind);
            supervisedByKind[kind] = supervisedByKind.GetValueOrDefault(kind) + sample.SupervisedCount;
        }

        long tokens = samples.Sum(s => (long)s.Length);
        var manifest = new DatasetManifest
        {
            Recipe = recipe.Name,
            CompilerVersion = CompilerInfo.Version,
            Seed = recipe.Seed,
            SettingsHash = RecipeFingerprint.DataHash(recipe),
            Overrides = [.. recipe.Overrides.Select(o => o.ToString())],
            RecipeFiles = [.. recipe.Files.Select(f => Path.GetRelativePath(recipe.Directory, f).Replace('\\', '/'))],
            Settings = System.Text.Json.Nodes.JsonNode.Parse(RecipeFingerprint.DataSettings(recipe)),
            Tokenizer = tokenizer.Info,
            Template = template.Name,
            SequenceLength = length,
            Shards = shards,
            Statistics = new DatasetStatistics
            {
                Conversations = conversationCount,
                Documents = samples.Count,
                Tokens = tokens,
                SupervisedTokens = samples.Sum(s => s.SupervisedCount),
                PaddingTokens = ((long)rows.Count * length) - tokens,
                Truncated = truncated,
                Dropped = dropped,
                Unsupervised = unsupervised,
                Sources = loader?.Statistics ?? [],
                ConversationsByKind = conversationsByKind,
                SupervisedTokensByKind = supervisedByKind,
                Capabilities = CapabilityStatistics.Measure(plan, samples),
                Transforms = transformStatistics,
            },
        };

        AtomicFile.WriteAllText(Path.Combine(outputDirectory, ReportFileName), DatasetReport.Render(manifest, sampler, example));
        var manifestPath = Path.Combine(outputDirectory, ManifestFileName);
        AtomicFile.WriteAllText(manifestPath, manifest.ToJson());
        return new CompileResult(manifestPath, manifest, diagnostics);
    }

    internal static string KindName(ConversationKind kind) => kind switch
    {
        ConversationKind.AgentChat => "agent-chat",
        ConversationKind.AgentReact => "agent-react",
        ConversationKind.FormatFollowing => "format-following",
        ConversationKind.Negative => "negative",
        _ => "general",
    };

    private static string Where(Provenance provenance) =>
        provenance.File is null ? provenance.Source
        : provenance.Line > 0 ? $"{provenance.File}({provenance.Line})"
        : $"{provenance.File}[{provenance.Index}]";

    private static List<ShardInfo> WriteShards(IReadOnlyList<PackedRow> rows, string outputDirectory, int length, int tokenWidth)
    {
        Directory.CreateDirectory(outputDirectory);
        var shards = new List<ShardInfo>();
        for (int start = 0, index = 0; start < rows.Count; start += RowsPerShard, index++)
        {
            var chunk = rows.Skip(start).Take(RowsPerShard).ToList();
            var name = string.Create(CultureInfo.InvariantCulture, $"shard-{index:D5}{ShardFormat.Extension}");
            var path = Path.Combine(outputDirectory, name);
            ShardWriter.Write(path, length, tokenWidth, chunk);
            shards.Add(new ShardInfo(
                name,
                chunk.Count,
                chunk.Sum(r => (long)r.Documents.Count),
                chunk.Sum(r => r.Documents.Sum(d => (long)d.Length)),
                chunk.Sum(r => r.Loss.Count(b => b != 0)),
                ContentHash.OfFile(path)));
        }

        // Shards from an earlier, larger compile must not linger next to the new manifest.
        foreach (var stale in Directory.EnumerateFiles(outputDirectory, "shard-*" + ShardFormat.Extension))
        {
            if (!shards.Any(s => s.File == Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }

        return shards;
    }
}
