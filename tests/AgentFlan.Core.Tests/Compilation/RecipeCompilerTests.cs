using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Shards;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Compilation;

[TestClass]
public sealed class RecipeCompilerTests
{
    private static readonly Conversation[] Corpus =
    [
        .. Enumerable.Range(0, 30).Select(i => TestConversations.ToolUse($"tool-{i}", $"City{i}")),
        .. Enumerable.Range(0, 20).Select(i => TestConversations.Chat($"chat-{i}", $"Answer number {i}.")),
    ];

    [TestMethod]
    public void Same_recipe_and_inputs_give_byte_identical_outputs()
    {
        using var temp = new TempDirectory();
        var recipe = Recipe(temp, 128);
        RecipeCompiler.Compile(recipe, Corpus, temp.Combine("a"));
        RecipeCompiler.Compile(recipe, Corpus, temp.Combine("b"));

        AssertSameFiles(temp.Combine("a"), temp.Combine("b"));
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void Buffers_from_the_shared_pool_carry_nothing_of_their_last_use_into_the_outputs(int threads)
    {
        // The spool's chunks, the packer's windows and the shard buffers are rented, not zeroed: a compile after the
        // pool is filled with garbage must write what a compile before it wrote.
        using var temp = new TempDirectory();
        var recipe = Recipe(temp, 128);
        RecipeCompiler.Compile(recipe, Corpus, temp.Combine("before"), threads);
        for (int size = 1 << 12; size <= 1 << 24; size <<= 1)
        {
            var rented = Enumerable.Range(0, 4).Select(_ => System.Buffers.ArrayPool<byte>.Shared.Rent(size)).ToList();
            rented.ForEach(array => array.AsSpan().Fill(0xAB));
            rented.ForEach(array => System.Buffers.ArrayPool<byte>.Shared.Return(array));
        }

        RecipeCompiler.Compile(recipe, Corpus, temp.Combine("after"), threads);

        AssertSameFiles(temp.Combine("before"), temp.Combine("after"));
    }

    /// <summary>The two folders hold the same file names with the same bytes.</summary>
    private static void AssertSameFiles(string expected, string actual)
    {
        var names = Directory.GetFiles(expected).Select(Path.GetFileName).Order().ToList();
        CollectionAssert.AreEqual(names, Directory.GetFiles(actual).Select(Path.GetFileName).Order().ToList());
        foreach (var name in names)
        {
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(expected, name!)), File.ReadAllBytes(Path.Combine(actual, name!)), name);
        }
    }

    [TestMethod]
    public void Manifest_statistics_match_the_shards()
    {
        using var temp = new TempDirectory();
        var result = RecipeCompiler.Compile(Recipe(temp, 128), Corpus, temp.Combine("out"));
        var manifest = DatasetManifest.Load(result.ManifestPath);

        Assert.AreEqual(50, manifest.Statistics.Conversations);
        Assert.AreEqual(50, manifest.Statistics.Documents);
        Assert.AreEqual(30, manifest.Statistics.ConversationsByKind["agent-chat"]);
        Assert.AreEqual(20, manifest.Statistics.ConversationsByKind["general"]);

        long supervised = 0, documents = 0;
        foreach (var shard in manifest.Shards)
        {
            var path = temp.Combine("out", shard.File);
            Assert.AreEqual(shard.Sha256, AgentFlan.Hashing.ContentHash.OfFile(path));
            using var reader = ShardReader.Open(path);
            var tokens = new int[reader.SequenceLength];
            var loss = new byte[reader.SequenceLength];
            for (int r = 0; r < reader.RowCount; r++)
            {
                reader.ReadRow(r, tokens, loss);
                supervised += loss.Count(b => b == 1);
                documents += reader.GetDocuments(r).Count;
            }
        }

        Assert.AreEqual(manifest.Statistics.SupervisedTokens, supervised);
        Assert.AreEqual(manifest.Statistics.Documents, manifest.Statistics.LengthHistogram.Values.Sum(), "every document is in one length bucket");
        Assert.AreEqual(manifest.Statistics.Documents, documents);
        Assert.IsTrue(File.ReadAllText(temp.Combine("out", RecipeCompiler.ReportFileName)).Contains('⟦', StringComparison.Ordinal));
    }

    [TestMethod]
    public void Over_length_policies_truncate_drop_or_fail_with_AFB2002()
    {
        using var temp = new TempDirectory();

        // A length between the longest chat sample and the shortest tool-use sample.
        var sampler = new AgentFlan.Tokenization.SampleTokenizer(
            AgentFlan.Tokenization.TokenizerLoader.Load(new TokenizerSettings()),
            AgentFlan.Templates.ChatTemplates.Get("agentflan"));
        int limit = Corpus.Where(c => c.Kind == ConversationKind.General).Max(c => sampler.Tokenize(c).Length);
        Assert.IsTrue(Corpus.Where(c => c.Kind != ConversationKind.General).All(c => sampler.Tokenize(c).Length > limit));

        var truncate = RecipeCompiler.Compile(Recipe(temp, limit), Corpus, temp.Combine("t")).Manifest.Statistics;
        Assert.AreEqual(30, truncate.Truncated, "tool-use samples are longer than 40 tokens");

        var drop = RecipeCompiler.Compile(Recipe(temp, limit) with { Sequence = new SequenceSettings { Length = limit, OverLength = OverLengthPolicy.Drop } }, Corpus, temp.Combine("d")).Manifest.Statistics;
        Assert.AreEqual(30, drop.Dropped);
        Assert.AreEqual(20, drop.Documents);

        var error = Assert.ThrowsExactly<DiagnosticException>(() =>
            RecipeCompiler.Compile(Recipe(temp, limit) with { Sequence = new SequenceSettings { Length = limit, OverLength = OverLengthPolicy.Error } }, Corpus, temp.Combine("e")));
        Assert.AreEqual(DiagnosticCodes.SampleTooLong, error.Diagnostics.Single().Code);
        Assert.IsFalse(File.Exists(temp.Combine("e", RecipeCompiler.ManifestFileName)), "a failed compile publishes no manifest");
    }

    [TestMethod]
    public void A_corpus_with_nothing_to_learn_is_AFB2001()
    {
        using var temp = new TempDirectory();
        var silent = Corpus.Select(c => c with { Messages = [.. c.Messages.Select(m => m with { Loss = false })] });
        var error = Assert.ThrowsExactly<DiagnosticException>(() => RecipeCompiler.Compile(Recipe(temp, 128), silent, temp.Combine("x")));
        Assert.AreEqual(DiagnosticCodes.NoSupervisedTokens, error.Diagnostics.Single().Code);
    }

    private static Recipe Recipe(TempDirectory temp, int length) => new()
    {
        Name = "unit",
        FilePath = temp.Combine("unit.recipe.yaml"),
        Sources = [new SourceSettings { Name = "test", Format = "synthetic", Count = 1 }],
        Sequence = new SequenceSettings { Length = length },
    };
}
