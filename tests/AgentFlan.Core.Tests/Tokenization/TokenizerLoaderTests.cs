using System.Reflection;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.Templates;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;
using Microsoft.ML.Tokenizers;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class TokenizerLoaderTests
{
    [TestMethod]
    [DataRow("gpt2")]
    [DataRow("llama3")]
    public void Hugging_Face_byte_level_BPE_applies_merges_in_rank_order(string style)
    {
        using var temp = new TempDirectory();
        var tokenizer = Load(temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json(style)));

        CollectionAssert.AreEqual(new[] { TinyTokenizerJson.Id("hello"), TinyTokenizerJson.Id("Ġworld") }, tokenizer.Encode("hello world").ToArray());
        CollectionAssert.AreEqual(
            new[] { TinyTokenizerJson.Id("hell"), TinyTokenizerJson.Id("Ġwor"), 'k' },
            tokenizer.Encode("hell work").ToArray(),
            "'k' has no merge: it stays a single byte symbol");
        Assert.AreEqual("hello world, ça va?", tokenizer.Tokenizer.Decode(tokenizer.Encode("hello world, ça va?")));
        Assert.AreEqual(TinyTokenizerJson.AddedId("<|endoftext|>"), tokenizer.Info.EndOfText);
        Assert.AreEqual(1003, tokenizer.Info.VocabularySize);
        Assert.AreEqual("huggingface", tokenizer.Info.Kind);
    }

    [TestMethod]
    public void Special_token_text_encodes_to_its_single_id_wherever_it_occurs()
    {
        using var temp = new TempDirectory();
        var tokenizer = Load(temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json()));

        var ids = tokenizer.Encode("<|im_start|>hello<|im_end|>\n<|endoftext|>").ToArray();
        CollectionAssert.AreEqual(
            new[] { TinyTokenizerJson.AddedId("<|im_start|>"), TinyTokenizerJson.Id("hello"), TinyTokenizerJson.AddedId("<|im_end|>"), TinyTokenizerJson.Id(TinyTokenizerJson.ByteChar('\n').ToString()), TinyTokenizerJson.AddedId("<|endoftext|>") },
            ids);
        Assert.IsTrue(tokenizer.TryGetSpecialToken("<|im_start|>", out var id));
        Assert.AreEqual(1001, id);
        Assert.IsFalse(tokenizer.TryGetSpecialToken("<|Human|>", out _));

        var cl100k = TokenizerLoader.Load(new TokenizerSettings { Encoding = "cl100k_base" });
        Assert.AreEqual(100257, cl100k.Encode("a<|endoftext|>b")[1]);
        Assert.AreEqual(3, cl100k.Encode("a<|endoftext|>b").Count);
    }

    [TestMethod]
    public void Identity_is_the_content_hash_not_the_file_name()
    {
        using var temp = new TempDirectory();
        var a = Load(temp.WriteFile("a/tokenizer.json", TinyTokenizerJson.Json()));
        var b = Load(temp.WriteFile("b/renamed.json", TinyTokenizerJson.Json()));
        var c = Load(temp.WriteFile("c/tokenizer.json", TinyTokenizerJson.Json("llama3")));
        Assert.AreEqual(a.Info.Hash, b.Info.Hash);
        Assert.AreNotEqual(a.Info.Hash, c.Info.Hash);

        // A tokenizer_config.json next to the file chooses the end-of-text token (and so the identity).
        temp.WriteFile("b/tokenizer_config.json", """{"eos_token": {"content": "<|im_end|>"}}""");
        var withConfig = Load(temp.Combine("b", "renamed.json"));
        Assert.AreEqual(TinyTokenizerJson.AddedId("<|im_end|>"), withConfig.Info.EndOfText);
        Assert.AreNotEqual(a.Info.Hash, withConfig.Info.Hash);
    }

    [TestMethod]
    public void Per_thread_instances_encode_identically()
    {
        using var temp = new TempDirectory();
        var tokenizer = Load(temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json()));
        var copy = tokenizer.CreateInstance();
        Assert.AreNotSame(tokenizer.Tokenizer, copy.Tokenizer);
        Assert.AreEqual(tokenizer.Info, copy.Info);
        CollectionAssert.AreEqual(tokenizer.Encode("<|im_start|>hello world").ToArray(), copy.Encode("<|im_start|>hello world").ToArray());
    }

    [TestMethod]
    public void A_worker_copy_given_back_is_handed_out_again_and_the_original_never()
    {
        var tokenizer = TokenizerLoader.Load(new TokenizerSettings { Encoding = "gpt2" });
        var first = tokenizer.RentInstance();
        var second = tokenizer.RentInstance();
        Assert.AreNotSame(tokenizer, first);
        Assert.AreNotSame(first, second, "a copy is one worker's until it is given back");
        Assert.AreNotSame(first.Words, second.Words);

        tokenizer.ReturnInstance(first);
        tokenizer.ReturnInstance(tokenizer);
        Assert.AreSame(first, tokenizer.RentInstance(), "the copy given back, regex compiled already");
        var fresh = tokenizer.RentInstance();
        Assert.AreNotSame(tokenizer, fresh, "the original is shared by the first worker, never handed out as a copy");
        Assert.AreNotSame(first, fresh);
        CollectionAssert.AreEqual(tokenizer.Encode("Hello world, it's me.").ToArray(), first.Encode("Hello world, it's me.").ToArray());
    }

    [TestMethod]
    [DataRow("gpt2")]
    [DataRow("cl100k_base")]
    [DataRow("o200k_base")]
    public void Built_in_encodings_and_their_worker_copies_encode_exactly_as_the_library_does(string encoding)
    {
        var tokenizer = TokenizerLoader.Load(new TokenizerSettings { Encoding = encoding });
        var copy = tokenizer.CreateInstance();
        Assert.AreEqual(tokenizer.Info, copy.Info);
        Assert.IsNotNull(copy.Words);
        Assert.AreNotSame(tokenizer.Words, copy.Words, "each worker splits with its own regex");

        // The word encoder's pattern is a copy of the library's (which is private): pin it to the library.
        var regex = typeof(RegexPreTokenizer).GetField("_regex", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.AreEqual(regex.GetValue(tokenizer.Tokenizer.PreTokenizer)!.ToString(), TiktokenEncodings.Pattern(encoding));

        string[] texts =
        [
            "Hello world! It's a test: they'll, we've, I'm, you're, she'd. IT'S LOUD, They'LL see.",
            "  leading and trailing spaces   \n\n\tindented\r\nCRLF line\r\n\r\n   ",
            "numbers 1 12 123 1234 12345 3.14159 -42 1e10 0x1F",
            "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Lisbon\", \"days\": 3}}\n<|endoftext|>after",
            "ünïcödé café naïve Ελληνικά русский 中文字符 日本語のテキスト 한국어 עברית العربية",
            "emoji 🎉🚀 and combining e\u0301 marks, ſ long s, K kelvin, İstanbul ıi",
            "path/to/file.cs //comment /* block */ a/b/c\n\n/slash-after-newline",
            "tabs\t\tand   multiple    spaces\u00A0nbsp\u2003emspace end",
        ];
        foreach (var text in texts)
        {
            var library = tokenizer.Tokenizer.EncodeToIds(text).ToArray();
            CollectionAssert.AreEqual(library, tokenizer.Encode(text).ToArray(), text);
            CollectionAssert.AreEqual(library, copy.Encode(text).ToArray(), text);
            CollectionAssert.AreEqual(library, copy.Tokenizer.EncodeToIds(text).ToArray(), text);
        }

        // Rendered samples of every template (special-token markers included), twice: the second pass is served by the word memo.
        var corpus = SyntheticCorpus.Generate(new SyntheticOptions { Count = 60, Seed = 3 }).ToList();
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var name in ChatTemplates.Names)
            {
                foreach (var conversation in corpus)
                {
                    foreach (var segment in ChatTemplates.Get(name).Render(conversation))
                    {
                        CollectionAssert.AreEqual(tokenizer.Tokenizer.EncodeToIds(segment.Text).ToArray(), copy.Encode(segment.Text).ToArray(), segment.Text);
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Unsupported_or_broken_files_fail_with_AFB2004_naming_the_reason()
    {
        using var temp = new TempDirectory();
        var unigram = temp.WriteFile("unigram.json", TinyTokenizerJson.Json(modelType: "Unigram"));
        var broken = temp.WriteFile("broken.json", "{ not json");
        var noEnd = temp.WriteFile("noend.json", TinyTokenizerJson.Json().Replace("<|endoftext|>", "<|a|>", StringComparison.Ordinal).Replace("<|im_end|>", "<|b|>", StringComparison.Ordinal));

        StringAssert.Contains(Failure(unigram).Message, "Unigram");
        Assert.AreEqual(DiagnosticCodes.TokenizerUnavailable, Failure(broken).Code);
        StringAssert.Contains(Failure(noEnd).Message, "end-of-text");
        Assert.AreEqual(DiagnosticCodes.TokenizerUnavailable, Failure(temp.Combine("missing.json")).Code);
    }

    [TestMethod]
    public void Validate_reports_special_tokens_the_template_needs_but_the_tokenizer_lacks()
    {
        using var temp = new TempDirectory();
        var settings = new TokenizerSettings { Kind = "huggingface", Path = temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json()) };

        Assert.AreEqual(0, TokenizerLoader.Validate(settings, ["<|im_start|>", "<|im_end|>"]).Count);
        var missing = TokenizerLoader.Validate(settings, ["<|im_start|>", "<|eot_id|>"], "r.recipe.yaml").Single();
        Assert.AreEqual(DiagnosticCodes.SpecialTokenMissing, missing.Code);
        Assert.AreEqual("r.recipe.yaml", missing.File);
        StringAssert.Contains(missing.Message, "'<|eot_id|>'");
        Assert.AreEqual(DiagnosticCodes.TokenizerUnavailable, TokenizerLoader.Validate(settings with { Path = temp.Combine("nope.json") }).Single().Code);
    }

    private static LoadedTokenizer Load(string path) => TokenizerLoader.Load(new TokenizerSettings { Kind = "huggingface", Path = path });

    private static Diagnostic Failure(string path) =>
        Assert.ThrowsExactly<DiagnosticException>(() => Load(path)).Diagnostics.Single();
}
