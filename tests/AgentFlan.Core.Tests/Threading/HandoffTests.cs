using AgentFlan.Threading;

namespace AgentFlan.Core.Tests.Threading;

[TestClass]
public sealed class HandoffTests
{
    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    [DataRow(1, 1)]
    [DataRow(8, 4)]
    [DataRow(1024, 256)]
    public void Every_item_arrives_once_in_order_and_the_consumer_ends_at_completion(int capacity, int wakeAt)
    {
        var handoff = new Handoff<int>(capacity, wakeAt);
        var producer = new Thread(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                handoff.Add(i);
            }

            handoff.CompleteAdding();
        });
        producer.Start();

        var received = handoff.Consume().ToList();
        producer.Join();
        CollectionAssert.AreEqual(Enumerable.Range(0, 20_000).ToList(), received);
        Assert.IsTrue(handoff.IsAddingCompleted);
        Assert.ThrowsExactly<InvalidOperationException>(() => handoff.Add(1), "nothing is added after completion");
    }

    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    public void Discarding_releases_a_producer_waiting_on_a_full_handoff_and_drops_what_follows()
    {
        var handoff = new Handoff<int>(capacity: 1);
        handoff.Add(1);
        var producer = new Thread(() =>
        {
            handoff.Add(2);
            handoff.Add(3);
        });
        producer.Start();
        Assert.IsFalse(producer.Join(200), "the producer waits: the handoff is full");

        handoff.Discard();
        Assert.IsTrue(producer.Join(10_000), "discarding lets it go on");
        Assert.IsFalse(handoff.TryTake(out _), "discarded items are gone and later ones dropped");
    }

    [TestMethod]
    [Timeout(20_000, CooperativeCancellation = true)]
    public void Several_consumers_share_the_items_without_losing_one()
    {
        var handoff = new Handoff<int>(capacity: 16);
        var taken = new int[3];
        var sums = new long[3];
        var consumers = Enumerable.Range(0, 3).Select(c => new Thread(() =>
        {
            foreach (var item in handoff.Consume())
            {
                taken[c]++;
                sums[c] += item;
            }
        })).ToList();
        consumers.ForEach(t => t.Start());
        for (int i = 1; i <= 30_000; i++)
        {
            handoff.Add(i);
        }

        handoff.CompleteAdding();
        consumers.ForEach(t => t.Join());
        Assert.AreEqual(30_000, taken.Sum());
        Assert.AreEqual(30_000L * 30_001 / 2, sums.Sum());
    }
}
