using AgentFlan.Conversations;
using AgentFlan.TestUtilities;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class ConversationStashTests
{
    /// <summary>Past its budget the stash appends to a temp file; any conversation reads back alone, the same; the file goes with it.</summary>
    [TestMethod]
    public void Conversations_past_the_budget_read_back_from_the_temp_file_in_any_order()
    {
        using var temp = new TempDirectory();
        var corpus = TransformCorpus.Synthetic(60);
        string file;
        using (var stash = new ConversationStash(budgetBytes: 30_000, spillDirectory: temp.Path))
        {
            for (int i = 0; i < corpus.Count; i++)
            {
                stash.Put(i * 7, corpus[i]);
            }

            Assert.IsTrue(stash.Spilled, "60 conversations are well past a 30 kB budget");
            Assert.AreEqual(60, stash.Count);
            file = Directory.EnumerateFiles(temp.Path).Single();
            for (int i = corpus.Count - 1; i >= 0; i--)
            {
                Assert.AreEqual(Describe(corpus[i]), Describe(stash.Get(i * 7)), $"conversation {i}");
            }

            stash.Remove(0);
            stash.Remove(59 * 7);
            Assert.AreEqual(58, stash.Count);
            Assert.IsFalse(stash.Contains(0));
            Assert.ThrowsExactly<KeyNotFoundException>(() => stash.Get(59 * 7));
            stash.Put(0, corpus[5]);
            Assert.AreEqual(Describe(corpus[5]), Describe(stash.Get(0)), "a key put again holds the new conversation");
        }

        Assert.IsFalse(File.Exists(file), "the stash file goes with the stash");
    }

    [TestMethod]
    public void Without_a_spill_directory_everything_stays_in_memory()
    {
        using var stash = new ConversationStash(budgetBytes: 0, spillDirectory: null);
        var corpus = TransformCorpus.Synthetic(5);
        corpus.Select((c, i) => (c, i)).ToList().ForEach(p => stash.Put(p.i, p.c));
        Assert.IsFalse(stash.Spilled);
        Assert.AreSame(corpus[3], stash.Get(3));
    }

    private static string Describe(Conversation c) =>
        $"{c.Id}|{c.Kind}|{c.Provenance}|{string.Join(",", c.Tools.Select(t => t.Name + t.Parameters.ToJsonString()))}|{string.Join("/", c.Messages.Select(m => $"{m.Role}:{m.Content}:{m.Thought}:{m.Loss}:{string.Join(",", m.ToolCalls.Select(t => t.Name + t.Arguments.ToJsonString() + t.Id))}"))}";
}
