using AgentFlan.Caching;
using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class SampleStoreTests
{
    private const string Recipe = """
        seed: 5
        sources:
          - name: chats
            format: openai
            path: data/chats.jsonl
            tolerance: 0.5
          - name: synth
            format: synthetic
            count: 60
        capabilities:
          retrieval: 0.25
        negatives:
          ratio: 0.2
        held_out:
          fraction: 0.1
        sequence:
          length: 512
        """;

    [TestMethod]
    public void A_second_compile_reuses_the_samples_stage_and_writes_the_same_bytes_quarantine_included()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };

        var plain = RecipeCompiler.Compile(recipe, temp.Combine("plain"), new CompileOptions());
        var cold = RecipeCompiler.Compile(recipe, temp.Combine("cold"), cached);
        var warm = RecipeCompiler.Compile(recipe, temp.Combine("warm"), cached);

        Assert.IsFalse(cold.SamplesStageReused);
        Assert.IsTrue(warm.SamplesStageReused);
        Assert.AreEqual(0, warm.SamplesTokenized);
        Assert.IsNotNull(plain.Manifest.Statistics.Sources[0].Quarantine, "the broken line is quarantined");
        Assert.IsTrue(File.Exists(temp.Combine("warm", AgentFlan.Evaluation.HeldOutFile.FileName)), "the held-out conversations are written from the stage too");
        AssertSameTree(temp.Combine("plain"), temp.Combine("cold"));
        AssertSameTree(temp.Combine("plain"), temp.Combine("warm"));
    }

    [TestMethod]
    public void Weights_sequence_length_and_token_budget_reuse_the_stage_and_match_a_compile_without_cache()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);

        string[][] changes =
        [
            ["capabilities.retrieval=0.75", "capabilities.policy=sample"],
            ["sequence.length=256", "sequence.over_length=truncate"],
            ["sequence.packing=false"],
            ["mixing.max_tokens=20000"],
        ];
        foreach (var change in changes)
        {
            var changed = RecipeLoader.Load(recipe.FilePath, string.Join(";", change)).Recipe!;
            var name = string.Join("_", change).Replace('=', '-');
            var reused = RecipeCompiler.Compile(changed, temp.Combine("reused-" + name), cached);
            RecipeCompiler.Compile(changed, temp.Combine("fresh-" + name), new CompileOptions());
            Assert.IsTrue(reused.SamplesStageReused, string.Join(", ", change));
            AssertSameTree(temp.Combine("fresh-" + name), temp.Combine("reused-" + name));
        }
    }

    [TestMethod]
    public void Editing_a_source_or_a_transform_setting_misses_the_stage()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);

        var negatives = RecipeLoader.Load(recipe.FilePath, "negatives.ratio=0.4").Recipe!;
        Assert.IsFalse(RecipeCompiler.Compile(negatives, temp.Combine("negatives"), cached).SamplesStageReused);

        var data = temp.Combine("data", "chats.jsonl");
        File.AppendAllText(data, File.ReadLines(data).First() + "\n");
        var edited = RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);
        Assert.IsFalse(edited.SamplesStageReused);
        Assert.AreNotEqual(first.Manifest.Stages[SampleStore.Stage], edited.Manifest.Stages[SampleStore.Stage], "the key follows the source's content");
    }

    [TestMethod]
    public void A_source_rewritten_right_after_a_compile_with_its_length_and_time_kept_is_read_again()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var data = temp.Combine("data", "chats.jsonl");

        // Written "now" as far as the memo can tell, however slow this machine is: its hash is not trusted later.
        var written = DateTime.UtcNow.AddMinutes(1);
        File.SetLastWriteTimeUtc(data, written);
        var first = RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);

        // Same length, same write time, other content: within the file hash memo's racy window, so hashed again.
        var text = File.ReadAllText(data);
        int at = text.IndexOf("\"content\":\"", StringComparison.Ordinal) + 11;
        File.WriteAllText(data, text[..at] + (text[at] == 'X' ? 'Y' : 'X') + text[(at + 1)..]);
        File.SetLastWriteTimeUtc(data, written);
        var edited = RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);

        Assert.IsFalse(edited.SamplesStageReused);
        Assert.AreNotEqual(first.Manifest.Stages[SampleStore.Stage], edited.Manifest.Stages[SampleStore.Stage]);
    }

    [TestMethod]
    public void Recipes_that_differ_only_in_name_and_weights_share_the_entry()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var copy = temp.WriteFile("copy.recipe.yaml", Recipe.Replace("retrieval: 0.25", "retrieval: 0.5", StringComparison.Ordinal));
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("a"), cached);

        var other = RecipeCompiler.Compile(RecipeLoader.Load(copy).Recipe!, temp.Combine("b"), cached);

        Assert.IsTrue(other.SamplesStageReused);
    }

    [TestMethod]
    public void A_compile_that_fails_part_way_publishes_no_entry()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeLoader.Load(Write(temp).FilePath, "sequence.length=64;sequence.over_length=error").Recipe!;
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };

        var error = Assert.ThrowsExactly<DiagnosticException>(() => RecipeCompiler.Compile(recipe, temp.Combine("out"), cached));

        Assert.AreEqual(DiagnosticCodes.SampleTooLong, error.Diagnostics[0].Code);
        foreach (var stage in new[] { SampleStore.Stage, DocumentMemo.Stage })
        {
            var folder = temp.Combine("cache", stage);
            Assert.IsFalse(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(), $"{stage}: neither an entry nor a temp file");
        }
    }

    [TestMethod]
    public void A_damaged_entry_is_rebuilt_with_a_warning()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("a"), cached);
        var entry = RecipeEntry(temp);
        var bytes = File.ReadAllBytes(entry);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(entry, bytes);

        var again = RecipeCompiler.Compile(recipe, temp.Combine("b"), cached);

        Assert.IsFalse(again.SamplesStageReused);
        Assert.IsTrue(again.Diagnostics.Any(d => d.Code == DiagnosticCodes.CacheEntryCorrupt));
        AssertSameTree(temp.Combine("a"), temp.Combine("b"));
        Assert.IsTrue(RecipeCompiler.Compile(recipe, temp.Combine("c"), cached).SamplesStageReused, "the rebuilt entry is valid");
    }

    [TestMethod]
    public void Ids_above_16_bits_are_stored_and_packed_at_32_bits()
    {
        using var temp = new TempDirectory();
        var recipe = RecipeLoader.Load(Write(temp).FilePath, "tokenizer.encoding=cl100k_base").Recipe!;
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        var plain = RecipeCompiler.Compile(recipe, temp.Combine("plain"), new CompileOptions());
        Assert.IsTrue(plain.Manifest.Tokenizer.VocabularySize > 65536, "the shards hold 4-byte ids");
        using (var shard = AgentFlan.Shards.ShardReader.Open(temp.Combine("plain", plain.Manifest.Shards[0].File)))
        {
            var tokens = new int[shard.SequenceLength];
            bool above = false;
            for (int r = 0; r < shard.RowCount && !above; r++)
            {
                shard.ReadRow(r, tokens, new byte[shard.SequenceLength]);
                above = tokens.Any(t => t > ushort.MaxValue);
            }

            Assert.IsTrue(above, "some id needs more than 16 bits");
        }

        RecipeCompiler.Compile(recipe, temp.Combine("cold"), cached);
        var warm = RecipeCompiler.Compile(recipe, temp.Combine("warm"), cached);

        Assert.IsTrue(warm.SamplesStageReused);
        AssertSameTree(temp.Combine("plain"), temp.Combine("cold"));
        AssertSameTree(temp.Combine("plain"), temp.Combine("warm"));
    }

    [TestMethod]
    public void Editing_an_evaluation_file_does_not_reuse_documents_decontaminated_against_the_old_cases()
    {
        using var temp = new TempDirectory();
        var data = temp.Combine("data", "chats.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 60, Seed = 3 }), data);
        var evaluation = temp.Combine("eval", "cases.json");
        Directory.CreateDirectory(Path.GetDirectoryName(evaluation)!);
        CorpusWriter.Write(CorpusFormat.Glaive, SyntheticCorpus.Generate(new SyntheticOptions { Count = 30, Seed = 4 }), evaluation);
        var recipe = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", """
            sources:
              - {name: chats, format: openai, path: data/chats.jsonl}
            evaluation:
              sources:
                - {name: held, format: glaive, path: eval/cases.json}
            sequence:
              length: 2048
            """)).Recipe!;
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("first"), cached);
        Assert.IsTrue(RecipeCompiler.Compile(recipe, temp.Combine("same"), cached).SamplesStageReused);

        CorpusWriter.Write(CorpusFormat.Glaive, SyntheticCorpus.Generate(new SyntheticOptions { Count = 30, Seed = 5 }), evaluation);
        var edited = RecipeCompiler.Compile(recipe, temp.Combine("edited"), cached);
        RecipeCompiler.Compile(recipe, temp.Combine("clean"), new CompileOptions());

        Assert.IsFalse(edited.SamplesStageReused, "the evaluation file's content is part of the samples stage's key");
        AssertSameTree(temp.Combine("clean"), temp.Combine("edited"));
    }

    [TestMethod]
    public void An_entry_with_a_damaged_summary_is_a_miss_before_anything_is_written()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("a"), cached);
        var entry = RecipeEntry(temp);
        var bytes = File.ReadAllBytes(entry);
        bytes[^60] ^= 0x20;
        File.WriteAllBytes(entry, bytes);

        var cache = new StageCache(temp.Combine("cache"));
        var files = recipe.Sources.Select(s => SourceLoader.InputFiles(recipe, s)).ToList();
        Assert.IsNull(SampleStore.Open(cache, SampleStore.Key(recipe, SourceLoader.KeyFiles(recipe, files))));
        Assert.AreEqual(DiagnosticCodes.CacheEntryCorrupt, cache.Warnings.Single().Code);
        Assert.IsFalse(File.Exists(entry));
    }

    [TestMethod]
    public void A_damaged_entry_found_while_its_documents_stream_is_rebuilt_before_the_manifest_is_written()
    {
        using var temp = new TempDirectory();
        var recipe = Write(temp);
        var cached = new CompileOptions { CacheDirectory = temp.Combine("cache") };
        RecipeCompiler.Compile(recipe, temp.Combine("a"), cached);
        var weights = RecipeLoader.Load(recipe.FilePath, "capabilities.retrieval=0.9").Recipe!;
        RecipeCompiler.Compile(weights, temp.Combine("fresh"), new CompileOptions());

        // The source's documents are in its part of the stage; other weights pack them again (the packed stage misses).
        var entry = Directory.EnumerateFiles(temp.Combine("cache", SampleStore.Stage), "*", SearchOption.AllDirectories).Single(path => path != RecipeEntry(temp));
        var intact = File.ReadAllBytes(entry);
        int header = 48, summary = header + (int)BitConverter.ToInt64(intact, intact.Length - 8);

        // Anywhere in the documents: a string, a length, an id or a segment. Some damage stops the decoding, some
        // makes a document the compile cannot use, some only changes an id: the entry's hash tells in every case.
        foreach (var fraction in new[] { 0.0, 0.1, 0.35, 0.5, 0.77, 0.999 })
        {
            int at = header + 5 + (int)(fraction * (summary - header - 6));
            var bytes = (byte[])intact.Clone();
            bytes[at] ^= 0x41;
            File.WriteAllBytes(entry, bytes);
            var output = temp.Combine($"b{fraction}");

            // The previous round stored these weights' shards: without them, the documents are read again.
            var packed = temp.Combine("cache", PackedStore.Stage);
            if (Directory.Exists(packed))
            {
                Directory.Delete(packed, recursive: true);
            }

            var again = RecipeCompiler.Compile(weights, output, cached);

            Assert.IsFalse(again.SamplesStageReused, $"byte {at}");
            Assert.IsTrue(again.Diagnostics.Any(d => d.Code == DiagnosticCodes.CacheEntryCorrupt), $"byte {at}");
            AssertSameTree(temp.Combine("fresh"), output);
            Assert.IsTrue(RecipeCompiler.Compile(weights, temp.Combine("c"), cached).SamplesStageReused, "the rebuilt entry is valid");
        }
    }

    /// <summary>The recipe's own entry of the samples stage (its summary and the built samples), not a source's part.</summary>
    private static string RecipeEntry(TempDirectory temp)
    {
        var recipe = RecipeLoader.Load(temp.Combine("r.recipe.yaml")).Recipe!;
        var key = SampleStore.Key(recipe, SourceLoader.KeyFiles(recipe, [.. recipe.Sources.Select(s => SourceLoader.InputFiles(recipe, s))]));
        return Directory.EnumerateFiles(temp.Combine("cache", SampleStore.Stage), "*", SearchOption.AllDirectories).Single(path => Path.GetFileName(path).StartsWith(key, StringComparison.Ordinal));
    }

    private static Recipe Write(TempDirectory temp)
    {
        var data = temp.Combine("data", "chats.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(data)!);
        CorpusWriter.Write(CorpusFormat.OpenAi, SyntheticCorpus.Generate(new SyntheticOptions { Count = 80, Seed = 3 }), data);
        File.AppendAllText(data, "{\"messages\": [ this is not json\n");
        return RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", Recipe)).Recipe!;
    }

    [TestMethod]
    public void A_part_read_without_ids_keeps_lengths_and_runs_and_decodes_ids_only_where_the_segments_are_not_runs()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        const string Key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        var runs = new TokenizedDocument("a", ConversationKind.AgentChat, "s", "s[0]", [5, 6, 7, 70000, 9], [new(0, 2, Capability.Reasoning, true), new(2, 2, Capability.Retrieval, true)]);
        var overlapping = new TokenizedDocument("b", ConversationKind.General, "s", "s[1]", [1, 2, 3], [new(0, 2, Capability.None, true), new(1, 2, Capability.None, false)]);
        using (var writer = SampleStore.CreatePart(cache, Key))
        {
            writer.Add(runs);
            writer.Add(overlapping);
            writer.Commit(new SamplesPart("s", 2));
        }

        using var reader = SampleStore.OpenPart(cache, Key, withIds: false)!;
        var read = reader.Records().ToList();

        Assert.IsFalse(read[0].HasIds);
        Assert.AreEqual(5, read[0].Length);
        CollectionAssert.AreEqual(runs.Segments, read[0].Segments);
        Assert.IsTrue(read[1].HasIds, "segments that are not runs need the ids to be weighed");
        CollectionAssert.AreEqual(overlapping.Tokens, read[1].Tokens);
        Assert.IsFalse(reader.IsDamaged());

        var view = new SampleView(read[0].Id, read[0].Kind, read[0].Tokens, 0, read[0].Length, read[0].Segments);
        Assert.AreEqual(4, view.SupervisedCount);
        Assert.ThrowsExactly<InvalidOperationException>(() => view.Tokens.ToArray());
        Assert.AreEqual(3, view.Slice(1, 4).Length);
    }

    internal static void AssertSameTree(string expected, string actual)
    {
        var files = Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order(StringComparer.Ordinal).ToList();
        var others = Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(files, others, $"only in {expected}: [{string.Join(", ", files.Except(others))}]; only in {actual}: [{string.Join(", ", others.Except(files))}]");
        foreach (var file in files)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(expected, file)), File.ReadAllBytes(Path.Combine(actual, file)), file);
        }
    }
}
