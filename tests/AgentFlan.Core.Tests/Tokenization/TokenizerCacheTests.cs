using AgentFlan.Recipes;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class TokenizerCacheTests
{
    [TestMethod]
    public void A_kept_tokenizer_serves_the_same_settings_and_an_edited_file_is_loaded_again()
    {
        using var temp = new TempDirectory();
        var cache = new TokenizerCache();
        var gpt2 = new TokenizerSettings();
        Assert.AreSame(cache.Load(gpt2), cache.Load(gpt2 with { }));

        var file = new TokenizerSettings { Kind = "huggingface", Path = temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json()) };
        var first = cache.Load(file);
        Assert.AreSame(first, cache.Load(file));

        // Same path, other content: another tokenizer, with the identity of its content.
        temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json("llama3"));
        var edited = cache.Load(file);
        Assert.AreNotSame(first, edited);
        Assert.AreEqual(TokenizerLoader.Load(file).Info, edited.Info);
        Assert.AreNotEqual(first.Info.Hash, edited.Info.Hash);
    }

    [TestMethod]
    public void At_most_the_capacity_is_kept_the_least_recently_used_dropped_first()
    {
        using var temp = new TempDirectory();
        var cache = new TokenizerCache();
        var files = Enumerable.Range(0, TokenizerCache.Capacity + 1)
            .Select(i => new TokenizerSettings { Kind = "huggingface", Path = temp.WriteFile($"t{i}/tokenizer.json", TinyTokenizerJson.Json()) })
            .ToList();
        var loaded = files.Select(cache.Load).ToList();

        Assert.AreSame(loaded[^1], cache.Load(files[^1]), "the last one is kept");
        Assert.AreNotSame(loaded[0], cache.Load(files[0]), "the first one was dropped to make room");
    }
}
