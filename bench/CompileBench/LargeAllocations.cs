using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace AgentFlan.Bench;

/// <summary>
/// Allocations by type (large-object-heap ones apart, by size) and full collections with their reasons, from the
/// runtime's GC events, sampled every ~100 KB allocated (AGENTFLAN_BENCH_LOH=1).
/// </summary>
internal sealed class LargeAllocations : EventListener
{
    private readonly ConcurrentDictionary<string, (long Bytes, long Count)> _byType = new();
    private int _gen2;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName == "GCStart_V2" && e.Payload is { } start && Convert.ToInt32(start[1], CultureInfo.InvariantCulture) == 2)
        {
            Interlocked.Increment(ref _gen2);
            Console.WriteLine($"    gen2 GC, reason {start[2]}, type {start[3]}");
        }

        if (e.EventName != "GCAllocationTick_V4" || e.Payload is not { } payload)
        {
            return;
        }

        var kind = Convert.ToInt32(payload[1], CultureInfo.InvariantCulture);
        var type = kind == 1 ? $"LOH {payload[5]} {Convert.ToInt64(payload[8], CultureInfo.InvariantCulture) / 1024} KB" : $"SOH {payload[5]}";
        var amount = Convert.ToInt64(payload[3], CultureInfo.InvariantCulture);
        _byType.AddOrUpdate(type, (amount, 1), (_, v) => (v.Bytes + amount, v.Count + 1));
    }

    public void Print()
    {
        Console.WriteLine($"  allocations by type since the last report, ~100 KB a tick (gen2 collections so far {_gen2}):");
        foreach (var (type, (bytes, count)) in _byType.OrderByDescending(kv => kv.Value.Bytes).Take(25))
        {
            Console.WriteLine($"    {bytes / 1e6,8:F1} MB in {count,5} ticks  {type}");
        }

        _byType.Clear();
    }
}
