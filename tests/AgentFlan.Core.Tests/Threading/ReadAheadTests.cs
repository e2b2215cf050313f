using AgentFlan.Threading;

namespace AgentFlan.Core.Tests.Threading;

[TestClass]
public sealed class ReadAheadTests
{
    [TestMethod]
    public void Items_come_in_order_across_batches()
    {
        var items = ReadAhead.Of(Enumerable.Range(0, 1000), batchSize: 7, batches: 2).ToList();

        CollectionAssert.AreEqual(Enumerable.Range(0, 1000).ToList(), items);
    }

    [TestMethod]
    public void A_failure_comes_after_every_item_produced_before_it()
    {
        static IEnumerable<int> Failing()
        {
            for (int i = 0; i < 10; i++)
            {
                yield return i;
            }

            throw new InvalidDataException("damaged at the end");
        }

        var seen = new List<int>();
        var failure = Assert.ThrowsExactly<InvalidDataException>(() =>
        {
            foreach (var item in ReadAhead.Of(Failing(), batchSize: 4))
            {
                seen.Add(item);
            }
        });

        Assert.AreEqual("damaged at the end", failure.Message);
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).ToList(), seen);
    }

    [TestMethod]
    public void A_consumer_that_stops_early_stops_the_producer_before_the_source_is_released()
    {
        var produced = 0;
        var released = false;
        IEnumerable<int> Endless()
        {
            try
            {
                while (true)
                {
                    Interlocked.Increment(ref produced);
                    yield return produced;
                }
            }
            finally
            {
                released = true;
            }
        }

        var first = ReadAhead.Of(Endless(), batchSize: 16, batches: 2).Take(5).ToList();

        Assert.AreEqual(5, first.Count);
        Assert.IsTrue(released, "disposing the enumeration waited for the producer, which ended the source");
        var after = Volatile.Read(ref produced);
        Thread.Sleep(50);
        Assert.AreEqual(after, Volatile.Read(ref produced), "nothing is produced after the consumer stopped");
    }
}
