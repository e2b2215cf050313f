using AgentFlan.Caching;
using AgentFlan.Conversations;
using AgentFlan.Templates;
using AgentFlan.TestUtilities;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class DocumentMemoTests
{
    private const string Identity = "render identity";

    [TestMethod]
    public void A_pack_that_served_hits_keeps_its_other_entries_and_one_nothing_hit_is_left_behind()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Combine("cache"));
        var first = Enumerable.Range(0, 4).Select(i => TestConversations.Chat($"a{i}", $"Answer {i}.")).ToList();
        Compile(cache, first);

        // Another rendering of the same content: one conversation in common, so the first compile's others are kept.
        var (hits, misses) = Compile(cache, [first[0], TestConversations.Chat("b0", "Other.")]);
        Assert.AreEqual((1L, 1L), (hits, misses));
        Assert.AreEqual((4L, 0L), Compile(cache, first), "the first compile's entries were carried over");

        // A source rewritten from scratch: nothing hits, so the pack it replaces is not copied into the new one.
        var rewritten = Enumerable.Range(0, 3).Select(i => TestConversations.Chat($"c{i}", $"New {i}.")).ToList();
        Assert.AreEqual((0L, 3L), Compile(cache, rewritten));
        Assert.AreEqual((0L, 4L), Compile(cache, first), "the earlier version's entries were left behind");
        Assert.AreEqual((4L, 0L), Compile(cache, first), "the pack holds the version compiled last");
    }

    /// <summary>One compile's use of the memo: every conversation looked up, then the pack saved.</summary>
    private static (long Hits, long Misses) Compile(StageCache cache, IReadOnlyList<Conversation> conversations)
    {
        using var memo = new DocumentMemo(cache, Identity);
        foreach (var conversation in conversations)
        {
            var document = memo.Get(conversation, RenderForm.Chat, () => Render(conversation));
            CollectionAssert.AreEqual(Render(conversation).Tokens, document.Tokens);
        }

        memo.Save();
        return (memo.Hits, memo.Misses);
    }

    private static TokenizedDocument Render(Conversation conversation)
    {
        var tokens = conversation.Messages.SelectMany(m => m.Content).Select(c => (int)c).ToArray();
        return new TokenizedDocument(conversation.Id, conversation.Kind, conversation.Provenance.Source, "test", tokens, [new DocumentSegment(0, tokens.Length, Capability.Reasoning, true)]);
    }
}
