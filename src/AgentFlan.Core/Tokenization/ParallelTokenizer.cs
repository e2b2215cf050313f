using AgentFlan.Conversations;
using AgentFlan.Threading;

namespace AgentFlan.Tokenization;

/// <summary>
/// Tokenizes a stream of conversations on several threads and yields the results in input order, so the
/// shards are byte-identical whatever the thread count. The source is read on one producer thread, in
/// batches; each batch goes both to a bounded work handoff (fan-out to the workers, each with its own
/// tokenizer instance and caches) and to a bounded order handoff, which the caller drains in sequence,
/// waiting for each batch to finish. Both are bounded, so memory stays flat whatever the corpus, and their
/// waits block without spinning or waking thread-pool threads (<see cref="Handoff{T}"/>).
/// With one thread everything runs inline on the caller's thread.
/// </summary>
public sealed class ParallelTokenizer
{
    /// <summary>
    /// Conversations per hand-off: enough that waking a thread is rare next to the work it gets (a batch is some 15,000
    /// tokens), few enough that what waits in the handoffs stays small. Every conversation and document in flight
    /// outlives the collections that find it there: with 256 a two-thread compile promoted about 3,000 of them at each
    /// gen0 collection, and most became gen1 collections (CompileBench: pauses 100–130 ms against 45–55 ms with 32).
    /// </summary>
    private const int BatchSize = 32;

    private readonly LoadedTokenizer _tokenizer;
    private readonly Func<LoadedTokenizer, Func<Conversation, TokenizedDocument>> _createWorker;

    /// <param name="tokenizer">The tokenizer; each worker thread gets its own <see cref="LoadedTokenizer.CreateInstance"/>.</param>
    /// <param name="createWorker">Builds one thread's tokenize function over its own tokenizer instance (for example <c>SampleTokenizer.Document</c>).</param>
    public ParallelTokenizer(LoadedTokenizer tokenizer, Func<LoadedTokenizer, Func<Conversation, TokenizedDocument>> createWorker)
    {
        _tokenizer = tokenizer;
        _createWorker = createWorker;
    }

    /// <summary>The thread count the compiler uses when none is given: every core.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    public IEnumerable<TokenizeResult> TokenizeAll(IEnumerable<Conversation> conversations, int threads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return threads == 1 ? Inline(conversations, cancellationToken) : Parallel(conversations, threads, cancellationToken);
    }

    private static TokenizeResult Process(Func<Conversation, TokenizedDocument> tokenize, Conversation conversation) =>
        new(conversation, tokenize(conversation));

    private IEnumerable<TokenizeResult> Inline(IEnumerable<Conversation> conversations, CancellationToken cancellationToken)
    {
        var tokenize = _createWorker(_tokenizer);
        foreach (var conversation in conversations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Process(tokenize, conversation);
        }
    }

    private IEnumerable<TokenizeResult> Parallel(IEnumerable<Conversation> conversations, int threads, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = new Handoff<Batch>(threads * 2);
        var order = new Handoff<Batch>(threads * 4);

        // Tokenizer instances are taken up front, on this thread: a load failure surfaces here, not in a worker. Copies
        // an earlier run gave back are taken first (their regexes are compiled already).
        var instances = Enumerable.Range(0, threads).Select(i => i == 0 ? _tokenizer : _tokenizer.RentInstance()).ToList();
        var workers = instances.Select(instance => Task.Factory.StartNew(
            () => Work(_createWorker(instance), work, stop.Token),
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var producer = Task.Factory.StartNew(() => Produce(conversations, work, order, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            while (order.TryTake(out var batch))
            {
                batch.Done.Wait(stop.Token);
                if (batch.Failure is { } failure)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                }

                foreach (var result in batch.Results)
                {
                    yield return result;
                }
            }

            // Reading the source failed: every batch before the failure has been yielded, now the failure.
            if (Blocking.Wait(producer) is { } readFailure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(readFailure);
            }
        }
        finally
        {
            // Stopped early or done: whatever waits on a handoff is released, and the helpers end.
            stop.Cancel();
            work.Discard();
            order.Discard();
            try
            {
                Task.WaitAll([producer, .. workers]);
            }
            catch (AggregateException)
            {
                // Cancellation of the helpers (or a failure already rethrown above).
            }

            instances.ForEach(_tokenizer.ReturnInstance);
        }
    }

    private static Exception? Produce(IEnumerable<Conversation> conversations, Handoff<Batch> work, Handoff<Batch> order, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        var items = new List<Conversation>(BatchSize);
        try
        {
            foreach (var conversation in conversations)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                items.Add(conversation);
                if (items.Count == BatchSize)
                {
                    Send(new Batch([.. items]), work, order);
                    items.Clear();
                }
            }

            // What was read before a failure is still delivered, as the one-thread path would.
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            if (items.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                Send(new Batch([.. items]), work, order);
            }
        }
        finally
        {
            work.CompleteAdding();
            order.CompleteAdding();
        }

        return failure;
    }

    /// <summary>Order first: the consumer then always finds the batch it must wait for.</summary>
    private static void Send(Batch batch, Handoff<Batch> work, Handoff<Batch> order)
    {
        order.Add(batch);
        work.Add(batch);
    }

    private static void Work(Func<Conversation, TokenizedDocument> tokenize, Handoff<Batch> work, CancellationToken cancellationToken)
    {
        foreach (var batch in work.Consume())
        {
            try
            {
                for (int i = 0; i < batch.Items.Length && !cancellationToken.IsCancellationRequested; i++)
                {
                    batch.Results[i] = Process(tokenize, batch.Items[i]);
                }
            }
            catch (Exception e)
            {
                batch.Failure = e;
            }
            finally
            {
                batch.Done.Set();
            }
        }
    }

    private sealed class Batch(Conversation[] items)
    {
        public Conversation[] Items { get; } = items;

        public TokenizeResult[] Results { get; } = new TokenizeResult[items.Length];

        /// <summary>Set when the batch is tokenized; the consumer blocks on it without spinning (see <see cref="Threading.Blocking"/>).</summary>
        public ManualResetEventSlim Done { get; } = new(false, spinCount: 0);

        public Exception? Failure { get; set; }
    }
}
