using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>The state one conversation is built with: its random stream, its split and its call ids.</summary>
internal sealed class ScenarioContext(SampleRandom rng, SyntheticSplit split)
{
    private int _calls;

    public SampleRandom Rng { get; } = rng;

    public SyntheticSplit Split { get; } = split;

    /// <summary>Tools this split may use. In the held-out split half the picks are held-out tools.</summary>
    public SyntheticTool PickTool(Func<SyntheticTool, bool>? filter = null)
    {
        filter ??= _ => true;
        if (Split == SyntheticSplit.HeldOut && Rng.Chance(0.5))
        {
            var heldOut = ToolCatalog.Tools.Where(t => t.HeldOut && filter(t)).ToList();
            if (heldOut.Count > 0)
            {
                return Rng.Pick(heldOut);
            }
        }

        return Rng.Pick(ToolCatalog.Tools.Where(t => Allowed(t) && filter(t)).ToList());
    }

    public bool Allowed(SyntheticTool tool) => Split == SyntheticSplit.HeldOut || !tool.HeldOut;

    public Invocation Prepare(SyntheticTool tool, Slots? slots = null, string? template = null)
    {
        if (slots is null)
        {
            slots = new Slots();
            tool.Sample(Rng, slots);
        }

        return new Invocation(tool, template ?? Rng.Pick(tool.PhrasingsFor(Split)), slots);
    }

    public string NextCallId() => $"call_{Rng.NextUInt64() & 0xFFFF_FFFF_FFFF:x12}_{++_calls}";

    /// <summary>The needed tools plus a few distractors this split may see, shuffled.</summary>
    public List<ToolSpec> Offer(IEnumerable<SyntheticTool> needed, int maxDistractors = 3)
    {
        var chosen = needed.Distinct().ToList();
        var pool = ToolCatalog.Tools.Where(t => Allowed(t) && !chosen.Contains(t)).ToList();
        chosen.AddRange(Rng.PickDistinct(pool, Rng.Range(0, maxDistractors)));
        return Rng.PickDistinct(chosen, chosen.Count).Select(t => t.ToSpec()).ToList();
    }

    /// <summary>Wraps a query in an optional greeting and sign-off.</summary>
    public string Wrap(string query)
    {
        var text = Template.Capitalize(query);
        if (Rng.Chance(0.3))
        {
            var greeting = Rng.Pick(Phrasebook.Greetings);
            text = greeting + (greeting.EndsWith(", ", StringComparison.Ordinal) || greeting.EndsWith("but ", StringComparison.Ordinal) ? ToolScenarios.LowerFirst(text, text) : text);
        }

        return Rng.Chance(0.25) ? text + Rng.Pick(Phrasebook.SignOffs) : text;
    }

    public string Thought(Invocation invocation, IReadOnlyList<string> templates) =>
        Template.Fill(Rng.Pick(templates), name => name switch
        {
            "purpose" => invocation.Purpose,
            "tool" => invocation.Tool.Name,
            "args" => invocation.ArgumentSummary(),
            _ => null,
        });

    /// <summary>The assistant's calling turn, the tool's reply, and the result it returned.</summary>
    public (Message Call, Message Result, JsonObject Output) Execute(Invocation invocation, string thought, JsonObject? forcedResult = null)
    {
        var id = NextCallId();
        var output = forcedResult ?? invocation.Tool.Run(Rng, invocation.Arguments);
        var call = Message.Assistant(string.Empty) with { Thought = thought, ToolCalls = [invocation.Call(id)] };
        return (call, Message.ToolResult(invocation.Tool.Name, output.ToJsonString(SyntheticJson.Compact), id), output);
    }
}
