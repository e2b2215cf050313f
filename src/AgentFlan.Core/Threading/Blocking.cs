namespace AgentFlan.Threading;

/// <summary>
/// Blocking waits that do not spin first. Task and channel waits spin before they block, which pays on idle many-core
/// machines but on a busy two-core one burns the cycles the tokenizer workers need (a profile of a cold compile showed
/// over a second of spinning in the producer and the consumer). A compile's threads always have work or wait long.
/// </summary>
public static class Blocking
{
    public static void Wait(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
        }

        task.GetAwaiter().GetResult();
    }

    public static T Wait<T>(Task<T> task)
    {
        Wait((Task)task);
        return task.Result;
    }

    public static T Wait<T>(ValueTask<T> pending) => pending.IsCompleted ? pending.Result : Wait(pending.AsTask());

    public static void Wait(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }

        Wait(pending.AsTask());
    }
}
