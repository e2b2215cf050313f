using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>Conversations where tools are used and succeed: one call, several in sequence, a follow-up turn.</summary>
internal static class ToolScenarios
{
    public static ScenarioResult SingleCall(ScenarioContext ctx)
    {
        var invocation = ctx.Prepare(ctx.PickTool());
        var messages = new List<Message> { Message.User(ctx.Wrap(invocation.Query)) };
        var output = AddCall(ctx, messages, invocation, Phrasebook.FirstThoughts);
        messages.Add(Message.Assistant(invocation.Answer(ctx.Rng.Pick(invocation.Tool.Answers), output)));
        return new(ctx.Offer([invocation.Tool]), messages, ConversationKind.AgentChat);
    }

    /// <summary>Two or three requests in one message, answered by calls in order, then one combined answer.</summary>
    public static ScenarioResult MultiStep(ScenarioContext ctx)
    {
        if (ctx.Rng.Chance(0.4) && Chains.TryBuild(ctx) is { } chained)
        {
            return chained;
        }

        var count = ctx.Rng.Chance(0.25) ? 3 : 2;
        var invocations = new List<Invocation>();
        while (invocations.Count < count)
        {
            var tool = ctx.PickTool(t => invocations.TrueForAll(i => i.Tool != t));
            invocations.Add(ctx.Prepare(tool));
        }

        var query = invocations[0].Query;
        foreach (var next in invocations.Skip(1))
        {
            query += ctx.Rng.Pick(Phrasebook.Connectors) + LowerFirst(next.Template, next.Query);
        }

        var messages = new List<Message> { Message.User(ctx.Wrap(query)) };
        var answers = new List<string>();
        for (var i = 0; i < invocations.Count; i++)
        {
            var output = AddCall(ctx, messages, invocations[i], i == 0 ? Phrasebook.FirstThoughts : Phrasebook.NextThoughts);
            answers.Add(invocations[i].Answer(ctx.Rng.Pick(invocations[i].Tool.Answers), output));
        }

        messages.Add(Message.Assistant(string.Join("\n\n", answers)));
        return new(ctx.Offer(invocations.Select(i => i.Tool), 2), messages, ConversationKind.AgentChat);
    }

    /// <summary>A successful exchange, then a second user turn: the same tool with one value swapped, or another tool.</summary>
    public static ScenarioResult FollowUp(ScenarioContext ctx)
    {
        var first = ctx.Prepare(ctx.PickTool());
        var messages = new List<Message> { Message.User(ctx.Wrap(first.Query)) };
        var output = AddCall(ctx, messages, first, Phrasebook.FirstThoughts);
        messages.Add(Message.Assistant(first.Answer(ctx.Rng.Pick(first.Tool.Answers), output)));

        var (second, userText) = SwapFollowUp(ctx, first) ?? NewFollowUp(ctx, first);
        messages.Add(Message.User(userText));
        output = AddCall(ctx, messages, second, Phrasebook.FollowUpThoughts);
        messages.Add(Message.Assistant(second.Answer(ctx.Rng.Pick(second.Tool.Answers), output)));
        return new(ctx.Offer([first.Tool, second.Tool], 2), messages, ConversationKind.AgentChat);
    }

    /// <summary>Adds the calling turn and the tool's reply; returns the result.</summary>
    public static System.Text.Json.Nodes.JsonObject AddCall(ScenarioContext ctx, List<Message> messages, Invocation invocation, IReadOnlyList<string> thoughts)
    {
        var (call, result, output) = ctx.Execute(invocation, ctx.Thought(invocation, thoughts));
        messages.Add(call);
        messages.Add(result);
        return output;
    }

    private static (Invocation, string)? SwapFollowUp(ScenarioContext ctx, Invocation first)
    {
        if (first.Tool.FollowUpSlot is not { } slot || ctx.Rng.Chance(0.35))
        {
            return null;
        }

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var fresh = new Slots();
            first.Tool.Sample(ctx.Rng, fresh);
            if (fresh[slot] == first.Slots[slot] || first.Slots.TryGetText("from_currency", out var from) && fresh[slot] == from)
            {
                continue;
            }

            var slots = first.Slots.Clone();
            slots.TakeFrom(fresh, slot);
            var templates = ctx.Split == SyntheticSplit.HeldOut ? Phrasebook.HeldOutSwapFollowUps : Phrasebook.SwapFollowUps;
            var text = Template.Fill(ctx.Rng.Pick(templates), name => name == "value" ? slots[slot] : null);

            // The phrasing is the first turn's, so the same optional arguments carry over.
            return (ctx.Prepare(first.Tool, slots, first.Template), text);
        }

        return null;
    }

    private static (Invocation, string) NewFollowUp(ScenarioContext ctx, Invocation first)
    {
        var tool = ctx.PickTool(t => t != first.Tool && (t.Domain == first.Tool.Domain || ctx.Rng.Chance(0.3)));
        var second = ctx.Prepare(tool);
        var text = Template.Fill(ctx.Rng.Pick(Phrasebook.NewFollowUps), name => name == "query" ? Template.Capitalize(second.Query) : null);
        return (second, text);
    }

    /// <summary>Lower-cases the first letter of a joined request unless it starts with a value or "I".</summary>
    internal static string LowerFirst(string template, string query) =>
        template.StartsWith('{') || query.Length < 2 || query.StartsWith("I ", StringComparison.Ordinal) ||
        query.StartsWith("I'", StringComparison.Ordinal) || !char.IsLower(query[1])
            ? query
            : char.ToLowerInvariant(query[0]) + query[1..];
}
