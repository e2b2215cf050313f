using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>Conversations where no tool call is right (Agent-FLAN's negative samples) and plain chat.</summary>
internal static class PlainScenarios
{
    /// <summary>Tools are offered, but the user is just talking or asks something general knowledge answers.</summary>
    public static ScenarioResult NoToolNeeded(ScenarioContext ctx)
    {
        var offered = new List<SyntheticTool> { ctx.PickTool() };
        var pool = ctx.Rng.Chance(0.5) ? ChatPool.DomainConcepts : ChatPool.General;
        var (question, answer) = ctx.Rng.Pick(ChatPool.For(pool, ctx.Split));
        var messages = new List<Message> { Message.User(ctx.Wrap(question)), Message.Assistant(answer) };
        return new(ctx.Offer(offered), messages, ConversationKind.Negative);
    }

    /// <summary>The query needs live data, no tool is offered: say so plainly, invent no call.</summary>
    public static ScenarioResult NoToolsOffered(ScenarioContext ctx)
    {
        var invocation = ctx.Prepare(ctx.PickTool(t => t.NeedsTool));
        var templates = ctx.Split == SyntheticSplit.HeldOut ? Phrasebook.HeldOutNoToolAnswers : Phrasebook.NoToolAnswers;
        var answer = Template.Fill(ctx.Rng.Pick(templates), name => name == "purpose" ? invocation.Purpose : null);
        var messages = new List<Message> { Message.User(ctx.Wrap(invocation.Query)), Message.Assistant(answer) };
        return new([], messages, ConversationKind.Negative);
    }

    /// <summary>One or two general questions, no tools.</summary>
    public static ScenarioResult GeneralChat(ScenarioContext ctx)
    {
        var pool = ChatPool.For(ChatPool.General, ctx.Split);
        var turns = ctx.Rng.Chance(0.3) ? 2 : 1;
        var messages = new List<Message>();
        var exchanges = ctx.Rng.PickDistinct(pool, turns);
        if (ctx.Rng.Chance(0.4))
        {
            exchanges[0] = ComposedChat.Draw(ctx.Rng, ctx.Split);
        }

        foreach (var (question, answer) in exchanges)
        {
            messages.Add(Message.User(messages.Count == 0 ? ctx.Wrap(question) : question));
            messages.Add(Message.Assistant(answer));
        }

        return new([], messages, ConversationKind.General);
    }
}
