using System.Threading.Channels;
using AgentFlan.Conversations;

namespace AgentFlan.Tokenization;

/// <summary>
/// Tokenizes a stream of conversations on several threads and yields the results in input order, so the
/// shards are byte-identical whatever the thread count. The source is read on one producer thread, in
/// batches; each batch goes both to a bounded work channel (fan-out to the workers, each with its own
/// tokenizer instance and caches) and to a bounded order channel, which the caller drains in sequence,
/// waiting for each batch to finish. Both channels are bounded, so memory stays flat whatever the corpus.
/// With one thread everything runs inline on the caller's thread.
/// </summary>
public sealed class ParallelTokenizer
{
    /// <summary>Conversations per hand-off: large enough that waking a thread is rare next to the work it gets.</summary>
    private const int BatchSize = 256;

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
        var work = Channel.CreateBounded<Batch>(new BoundedChannelOptions(threads * 2) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var order = Channel.CreateBounded<Batch>(new BoundedChannelOptions(threads * 4) { SingleWriter = true, SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

        // Tokenizer instances are built up front, on this thread: a load failure surfaces here, not in a worker.
        var instances = Enumerable.Range(0, threads).Select(i => i == 0 ? _tokenizer : _tokenizer.CreateInstance()).ToList();
        var workers = instances.Select(instance => Task.Factory.StartNew(
            () => Work(_createWorker(instance), work.Reader, stop.Token),
            stop.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var producer = Task.Factory.StartNew(() => Produce(conversations, work.Writer, order.Writer, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            while (Wait(order.Reader.WaitToReadAsync(stop.Token)))
            {
                while (order.Reader.TryRead(out var batch))
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
            }

            // Reading the source failed: every batch before the failure has been yielded, now the failure.
            if (producer.GetAwaiter().GetResult() is { } readFailure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(readFailure);
            }
        }
        finally
        {
            stop.Cancel();
            try
            {
                Task.WaitAll([producer, .. workers]);
            }
            catch (AggregateException)
            {
                // Cancellation of the helpers (or a failure already rethrown above).
            }
        }
    }

    private static bool Wait(ValueTask<bool> pending) => Threading.Blocking.Wait(pending);

    private static Exception? Produce(IEnumerable<Conversation> conversations, ChannelWriter<Batch> work, ChannelWriter<Batch> order, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        var items = new List<Conversation>(BatchSize);
        try
        {
            foreach (var conversation in conversations)
            {
                items.Add(conversation);
                if (items.Count == BatchSize)
                {
                    Send(new Batch([.. items]), work, order, cancellationToken);
                    items.Clear();
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            // What was read before a failure is still delivered, as the one-thread path would.
            if (items.Count > 0 && !cancellationToken.IsCancellationRequested)
            {
                Send(new Batch([.. items]), work, order, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The consumer stopped reading.
        }
        finally
        {
            work.TryComplete();
            order.TryComplete();
        }

        return failure;
    }

    private static void Send(Batch batch, ChannelWriter<Batch> work, ChannelWriter<Batch> order, CancellationToken cancellationToken)
    {
        // Order first: the consumer then always finds the batch it must wait for.
        Wait(order.WriteAsync(batch, cancellationToken));
        Wait(work.WriteAsync(batch, cancellationToken));
    }

    private static void Wait(ValueTask pending) => Threading.Blocking.Wait(pending);

    private static void Work(Func<Conversation, TokenizedDocument> tokenize, ChannelReader<Batch> work, CancellationToken cancellationToken)
    {
        while (Wait(work.WaitToReadAsync(cancellationToken)))
        {
            while (work.TryRead(out var batch))
            {
                try
                {
                    for (int i = 0; i < batch.Items.Length; i++)
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
