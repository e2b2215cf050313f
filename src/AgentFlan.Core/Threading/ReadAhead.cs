using System.Runtime.ExceptionServices;

namespace AgentFlan.Threading;

/// <summary>
/// Enumerates a sequence on a thread of its own, a few batches ahead of its consumer, so that producing the items
/// (reading and decoding stored documents) overlaps what the consumer does with them (weighing and packing). Items
/// come in their order; a failure of the producer reaches the consumer after every item produced before it, where the
/// plain enumeration would have thrown. A consumer that stops early stops the producer and waits for it, so the
/// source's resources may be released as soon as the enumeration is disposed.
/// </summary>
public static class ReadAhead
{
    /// <param name="batchSize">Items handed over at once (one wake-up of the consumer each).</param>
    /// <param name="batches">Batches produced ahead at most.</param>
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batchSize = 256, int batches = 4)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        return Enumerate(source, batchSize, batches);
    }

    private static IEnumerable<T> Enumerate<T>(IEnumerable<T> source, int batchSize, int batches)
    {
        var handoff = new Handoff<List<T>>(capacity: batches);
        var stopped = false;
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() =>
        {
            var batch = new List<T>(batchSize);
            try
            {
                foreach (var item in source)
                {
                    if (Volatile.Read(ref stopped))
                    {
                        return;
                    }

                    batch.Add(item);
                    if (batch.Count == batchSize)
                    {
                        handoff.Add(batch);
                        batch = new List<T>(batchSize);
                    }
                }
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                if (batch.Count > 0)
                {
                    handoff.Add(batch);
                }

                handoff.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "AgentFlan read-ahead",
        };

        producer.Start();
        try
        {
            while (handoff.TryTake(out var batch))
            {
                foreach (var item in batch)
                {
                    yield return item;
                }
            }

            producer.Join();
            failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref stopped, true);
            handoff.Discard();
            producer.Join();
        }
    }
}
