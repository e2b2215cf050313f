using AgentFlan.Recipes;
using AgentFlan.Templates;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class SampleTokenizerTests
{
    private static readonly LoadedTokenizer Gpt2 = TokenizerLoader.Load(new TokenizerSettings { Encoding = "gpt2" });

    public static IEnumerable<object[]> TemplateNames => ChatTemplates.Names.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(TemplateNames))]
    public void Supervised_tokens_decode_to_exactly_the_supervised_segments(string name)
    {
        var template = ChatTemplates.Get(name);
        var conversation = TestConversations.ToolUse();
        var sample = new SampleTokenizer(Gpt2, template).Tokenize(conversation);

        var supervisedIds = sample.Tokens.Where((_, i) => sample.Loss[i] == 1).ToArray();
        var expected = string.Concat(template.Render(conversation).Where(s => s.Supervised).Select(s => s.Text));
        Assert.AreEqual(expected, Gpt2.Tokenizer.Decode(supervisedIds));

        var all = string.Concat(template.Render(conversation).Select(s => s.Text));
        Assert.AreEqual(all, Gpt2.Tokenizer.Decode(sample.Tokens[..^1]), "the whole sample decodes to the rendering");
        Assert.AreEqual(Gpt2.Info.EndOfText, sample.Tokens[^1]);
        Assert.AreEqual(0, sample.Loss[^1]);
    }

    [TestMethod]
    public void Tokenizer_identity_is_a_content_hash_and_knows_its_end_of_text()
    {
        Assert.AreEqual(50256, Gpt2.Info.EndOfText);
        Assert.AreEqual(50257, Gpt2.Info.VocabularySize);
        Assert.AreEqual(64, Gpt2.Info.Hash.Length);
        var cl100k = TokenizerLoader.Load(new TokenizerSettings { Encoding = "cl100k_base" });
        Assert.AreNotEqual(Gpt2.Info.Hash, cl100k.Info.Hash);
    }
}
