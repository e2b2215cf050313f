using System.Globalization;
using System.Text;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Shards;
using AgentFlan.Templates;
using AgentFlan.Tokenization;

namespace AgentFlan.Cli.Commands;

/// <summary>
/// `agentflan inspect &lt;manifest.json | shard.afbshard | recipe.yaml&gt; &lt;index&gt;`: one document, token by token,
/// with its id, loss mask and text; from a recipe also each token's capability (shards do not store it).
/// The index counts documents: across all shards in manifest order, within one shard, or conversations of a recipe.
/// </summary>
internal static class InspectCommand
{
    private const string Usage = "usage: agentflan inspect <manifest.json|shard.afbshard|recipe.yaml> <index> [--tokenizer <gpt2|cl100k_base|o200k_base|path>]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var positional = new List<string>();
        string? tokenizerOption = null;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--tokenizer" && i + 1 < args.Count)
            {
                tokenizerOption = args[++i];
            }
            else if (args[i].StartsWith('-'))
            {
                stderr.WriteLine($"agentflan inspect: unknown option '{args[i]}'.");
                return 2;
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count != 2 || !long.TryParse(positional[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            stderr.WriteLine(Usage);
            return 2;
        }

        var path = positional[0];
        try
        {
            if (!File.Exists(path))
            {
                stderr.WriteLine($"agentflan inspect: '{path}' does not exist.");
                return 1;
            }

            return path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                ? FromRecipe(path, index, stdout, stderr)
                : FromShards(path, index, tokenizerOption, stdout, stderr);
        }
        catch (DiagnosticException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                stderr.WriteLine(diagnostic);
            }

            return 1;
        }
    }

    private static int FromRecipe(string path, long index, TextWriter stdout, TextWriter stderr)
    {
        var loaded = RecipeLoader.Load(path);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            stderr.WriteLine(diagnostic);
        }

        if (loaded.Recipe is not { } recipe)
        {
            return 1;
        }

        var scratch = Directory.CreateTempSubdirectory("agentflan-inspect-");
        try
        {
            var conversation = new SourceLoader(recipe, scratch.FullName).Read(CancellationToken.None).Skip(checked((int)index)).FirstOrDefault();
            if (conversation is null)
            {
                stderr.WriteLine($"agentflan inspect: recipe '{recipe.Name}' has fewer than {index + 1} conversations.");
                return 1;
            }

            var tokenizer = TokenizerLoader.Load(recipe.Tokenizer);
            var sample = new SampleTokenizer(tokenizer, ChatTemplates.Get(recipe.Template), recipe.Masking).Tokenize(conversation);
            stdout.WriteLine($"conversation {index} '{conversation.Id}' ({conversation.Provenance.Source}), kind {conversation.Kind}, {sample.Length} tokens, {sample.SupervisedCount} supervised, before the over-length policy (sequence length {recipe.Sequence.Length})");
            Print(stdout, tokenizer, sample.Tokens, sample.Loss, sample.Capabilities);
            return 0;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static int FromShards(string path, long index, string? tokenizerOption, TextWriter stdout, TextWriter stderr)
    {
        string[] shards;
        DatasetManifest? manifest = null;
        if (path.EndsWith(ShardFormat.Extension, StringComparison.OrdinalIgnoreCase))
        {
            shards = [path];
            var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, RecipeCompiler.ManifestFileName);
            manifest = File.Exists(beside) ? DatasetManifest.Load(beside) : null;
        }
        else
        {
            manifest = DatasetManifest.Load(path);
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            shards = [.. manifest.Shards.Select(s => Path.Combine(folder, s.File))];
        }

        var tokenizer = ResolveTokenizer(tokenizerOption, manifest);
        long remaining = index;
        foreach (var shard in shards)
        {
            using var reader = ShardReader.Open(shard);
            if (remaining >= reader.DocumentCount)
            {
                remaining -= reader.DocumentCount;
                continue;
            }

            var tokens = new int[reader.SequenceLength];
            var loss = new byte[reader.SequenceLength];
            for (int row = 0; row < reader.RowCount; row++)
            {
                var documents = reader.GetDocuments(row);
                if (remaining >= documents.Count)
                {
                    remaining -= documents.Count;
                    continue;
                }

                var document = documents[(int)remaining];
                reader.ReadRow(row, tokens, loss);
                var ids = tokens[document.Start..(document.Start + document.Length)];
                var mask = loss[document.Start..(document.Start + document.Length)];
                stdout.WriteLine($"document {index} ({Path.GetFileName(shard)}, row {row}, offset {document.Start}, {document.Length} tokens, {mask.Count(b => b != 0)} supervised, kind {(ConversationKind)document.Kind}; {documents.Count} document(s) share the row, attention resets at each)");
                Print(stdout, tokenizer, ids, mask, capabilities: null);
                return 0;
            }
        }

        stderr.WriteLine($"agentflan inspect: '{path}' holds {index - remaining} documents; index {index} is out of range.");
        return 1;
    }

    private static LoadedTokenizer? ResolveTokenizer(string? option, DatasetManifest? manifest)
    {
        if (option is not null)
        {
            return TokenizerLoader.BuiltInEncodings.Contains(option)
                ? TokenizerLoader.Load(new TokenizerSettings { Encoding = option })
                : TokenizerLoader.Load(new TokenizerSettings { Kind = option.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "huggingface" : "sentencepiece", Path = Path.GetFullPath(option) });
        }

        // Built-in encodings are known by name; a file tokenizer needs --tokenizer (the manifest keeps only its hash).
        return manifest?.Tokenizer is { Kind: "tiktoken" } info ? TokenizerLoader.Load(new TokenizerSettings { Encoding = info.Name }) : null;
    }

    private static void Print(TextWriter stdout, LoadedTokenizer? tokenizer, int[] ids, byte[] loss, Capability[]? capabilities)
    {
        stdout.WriteLine(capabilities is null ? "   pos       id  loss  text" : "   pos       id  loss  capability            text");
        for (int i = 0; i < ids.Length; i++)
        {
            var text = tokenizer is null ? string.Empty : Escape(tokenizer.Tokenizer.Decode([ids[i]]) ?? string.Empty);
            var capability = capabilities is null ? string.Empty : $"{(capabilities[i] == Capability.None ? "-" : capabilities[i].ToString()),-20}  ";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,6} {ids[i],8}  {(loss[i] != 0 ? "  1 " : "  . ")}  {capability}{text}"));
        }

        if (tokenizer is null)
        {
            stdout.WriteLine("(no token text: the tokenizer is a file; pass --tokenizer <path>)");
        }
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder("'");
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\'' => "\\'",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.Append('\'').ToString();
    }
}
