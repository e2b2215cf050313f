using System.Runtime.ExceptionServices;
using AgentFlan.Threading;

namespace AgentFlan.Caching;

/// <summary>
/// A <see cref="StreamedEntryWriter{TRecord, TSummary}"/> fed from any thread and written on a thread of its own:
/// <see cref="Add"/> only hands the record over (a bounded handoff, so memory stays flat), and the encoding, hashing
/// and disk writes happen beside the compile instead of on the thread that produced the record. A write failure is
/// kept and thrown by <see cref="Commit"/>; disposing without committing publishes nothing.
/// </summary>
public sealed class BackgroundEntryWriter<TRecord, TSummary> : IDisposable
{
    private readonly StreamedEntryWriter<TRecord, TSummary> _writer;
    private readonly Handoff<TRecord> _pending = new(capacity: 1024, wakeAt: 256);
    private readonly Task _writing;
    private ExceptionDispatchInfo? _failure;

    public BackgroundEntryWriter(StreamedEntryWriter<TRecord, TSummary> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _writing = Task.Factory.StartNew(Write, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Hands <paramref name="record"/> to the writer thread; waits only while 1024 records are queued.</summary>
    public void Add(TRecord record) => _pending.Add(record);

    /// <summary>Waits until every record is written, then publishes the entry; a write failure surfaces here.</summary>
    public void Commit(TSummary summary)
    {
        _pending.CompleteAdding();
        Blocking.Wait(_writing);
        _failure?.Throw();
        _writer.Commit(summary);
    }

    public void Dispose()
    {
        _pending.Discard();
        Blocking.Wait(_writing);
        _writer.Dispose();
    }

    private void Write()
    {
        // After a failure the rest is taken unwritten, so producers never wait on a queue nobody empties.
        foreach (var record in _pending.Consume())
        {
            if (_failure is not null)
            {
                continue;
            }

            try
            {
                _writer.Add(record);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        }
    }
}
