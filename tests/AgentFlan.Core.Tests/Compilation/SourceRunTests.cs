using AgentFlan.Compilation;
using AgentFlan.Conversations;
using AgentFlan.Hashing;
using AgentFlan.Synthetic;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Compilation;

/// <summary>
/// A run examines its conversations where they are made: in turn on one thread, a few batches ahead on a thread of its
/// own with more — the same pairs in the same order either way.
/// </summary>
[TestClass]
public sealed class SourceRunTests
{
    private static readonly List<Conversation> Corpus = [.. SyntheticCorpus.Generate(new SyntheticOptions { Count = 300, Seed = 11 })];

    private static ConversationExamination Examine(Conversation conversation) =>
        new(Digest128.Of(System.Text.Encoding.UTF8.GetBytes(conversation.Id)), conversation.Messages.Count % 2 == 0);

    [TestMethod]
    public void Examines_every_conversation_in_order_on_one_thread_or_two()
    {
        var expected = Corpus.Select(c => (c, (ConversationExamination?)Examine(c))).ToList();
        foreach (var threads in new[] { 1, 2, 4 })
        {
            var run = new SourceRun("s", Corpus, replayable: false, threads);
            CollectionAssert.AreEqual(expected, run.Examine(Examine).ToList(), $"{threads} threads");
            CollectionAssert.AreEqual(Corpus, run.Conversations.ToList(), $"{threads} threads, not examined");
            Assert.IsTrue(run.Examine(null).All(item => item.Examination is null));
        }
    }

    [TestMethod]
    public void With_threads_the_examination_runs_beside_the_consumer()
    {
        var consumer = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var run = new SourceRun("s", Corpus, replayable: false, threads: 2);
        foreach (var unused in run.Examine(c =>
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            return Examine(c);
        }))
        {
        }

        Assert.IsFalse(threads.Contains(consumer));
    }

    [TestMethod]
    public void A_failing_examination_reaches_the_consumer()
    {
        var run = new SourceRun("s", Corpus, replayable: false, threads: 2);
        var seen = 0;
        Assert.ThrowsExactly<InvalidOperationException>(() =>
        {
            foreach (var unused in run.Examine(c => c.Id == Corpus[200].Id ? throw new InvalidOperationException("bad") : Examine(c)))
            {
                seen++;
            }
        });
        Assert.AreEqual(200, seen, "every conversation examined before the failure is given first");
    }
}
