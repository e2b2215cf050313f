using System.Diagnostics.CodeAnalysis;

namespace AgentFlan.Threading;

/// <summary>
/// A bounded first-in first-out handoff of items between threads whose waits block without spinning. The framework's
/// <c>BlockingCollection</c> waits on a semaphore that spins before it blocks, once per item: a profile of a compile
/// showed its consumers (the memo's pack writer, the examiner) spinning for over a second of CPU on two cores, the
/// time the tokenizer workers needed. Here a waiting taker is woken only once <c>wakeAt</c> items are waiting (or
/// the queue is completed), so a consumer that keeps up wakes once per batch instead of once per item.
/// </summary>
public sealed class Handoff<T>
{
    private readonly Queue<T> _items = new();
    private readonly int _capacity;
    private readonly int _wakeAt;
    private int _waitingTakers;
    private int _waitingAdders;
    private bool _completed;
    private bool _discarding;

    /// <param name="capacity">Items held at most; <see cref="Add"/> waits while the queue is full.</param>
    /// <param name="wakeAt">Items that must be waiting before a waiting taker is woken (at most <paramref name="capacity"/>).</param>
    public Handoff(int capacity = int.MaxValue, int wakeAt = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wakeAt, 1);
        _capacity = capacity;
        _wakeAt = Math.Min(wakeAt, capacity);
    }

    /// <summary>True once <see cref="CompleteAdding"/> or <see cref="Discard"/> was called.</summary>
    public bool IsAddingCompleted
    {
        get
        {
            lock (_items)
            {
                return _completed;
            }
        }
    }

    /// <summary>Adds an item, waiting while the queue is full; after <see cref="Discard"/> the item is dropped.</summary>
    public void Add(T item)
    {
        lock (_items)
        {
            while (_items.Count >= _capacity && !_discarding)
            {
                _waitingAdders++;
                try
                {
                    Monitor.Wait(_items);
                }
                finally
                {
                    _waitingAdders--;
                }
            }

            if (_discarding)
            {
                return;
            }

            if (_completed)
            {
                throw new InvalidOperationException("The queue was completed; nothing more can be added.");
            }

            _items.Enqueue(item);
            if (_waitingTakers > 0 && (_items.Count >= _wakeAt || _items.Count >= _capacity))
            {
                Monitor.PulseAll(_items);
            }
        }
    }

    /// <summary>Takes the oldest item, waiting for one; false once the queue is completed and empty.</summary>
    public bool TryTake([MaybeNullWhen(false)] out T item)
    {
        lock (_items)
        {
            // A taker that finds fewer than wakeAt items still takes them: only sleeping takers wait for a batch.
            while (_items.Count == 0 && !_completed)
            {
                _waitingTakers++;
                try
                {
                    Monitor.Wait(_items);
                }
                finally
                {
                    _waitingTakers--;
                }
            }

            if (_items.Count == 0)
            {
                item = default;
                return false;
            }

            item = _items.Dequeue();
            if (_waitingAdders > 0)
            {
                Monitor.PulseAll(_items);
            }

            return true;
        }
    }

    /// <summary>The items in order as they come, until the queue is completed and empty.</summary>
    public IEnumerable<T> Consume()
    {
        while (TryTake(out var item))
        {
            yield return item;
        }
    }

    /// <summary>No more items will be added: takers finish what is queued, then stop.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>
    /// Empties the queue and drops whatever is added from now on, so a consumer that stops early (an error, a
    /// cancellation) releases a producer waiting on a full queue.
    /// </summary>
    public void Discard()
    {
        lock (_items)
        {
            _discarding = true;
            _completed = true;
            _items.Clear();
            Monitor.PulseAll(_items);
        }
    }
}
