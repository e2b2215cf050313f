using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>
/// The tool does not deliver: it errors (the assistant reports it, or retries and succeeds), returns
/// nothing, or fails twice so the assistant gives up. The final answer never invents a result.
/// </summary>
internal static class FailureScenario
{
    public static ScenarioResult Build(ScenarioContext ctx)
    {
        var invocation = ctx.Prepare(ctx.PickTool());
        var messages = new List<Message> { Message.User(ctx.Wrap(invocation.Query)) };
        var thought = ctx.Thought(invocation, Phrasebook.FirstThoughts);
        var error = ctx.Rng.Pick(Phrasebook.Errors);
        var variant = ctx.Rng.Next(4);
        if (variant == 0)
        {
            messages.AddRange(Call(ctx, invocation, thought, new JsonObject { ["results"] = new JsonArray() }));
            messages.Add(Message.Assistant(Fill(ctx, Phrasebook.EmptyAnswers, invocation, error)));
            return Result(ctx, invocation, messages);
        }

        messages.AddRange(Call(ctx, invocation, thought, new JsonObject { ["error"] = error }));
        if (variant == 1)
        {
            messages.Add(Message.Assistant(Fill(ctx, Phrasebook.ErrorAnswers, invocation, error)));
            return Result(ctx, invocation, messages);
        }

        var retry = Fill(ctx, Phrasebook.RetryThoughts, invocation, error);
        if (variant == 2)
        {
            var (call, result, output) = ctx.Execute(invocation, retry);
            messages.Add(call);
            messages.Add(result);
            messages.Add(Message.Assistant(invocation.Answer(ctx.Rng.Pick(invocation.Tool.Answers), output)));
            return Result(ctx, invocation, messages);
        }

        messages.AddRange(Call(ctx, invocation, retry, new JsonObject { ["error"] = error }));
        messages.Add(Message.Assistant(Fill(ctx, Phrasebook.GiveUpAnswers, invocation, error)));
        return Result(ctx, invocation, messages);
    }

    private static Message[] Call(ScenarioContext ctx, Invocation invocation, string thought, JsonObject output)
    {
        var (call, result, _) = ctx.Execute(invocation, thought, output);
        return [call, result];
    }

    private static string Fill(ScenarioContext ctx, IReadOnlyList<string> templates, Invocation invocation, string error) =>
        Template.Fill(ctx.Rng.Pick(templates), name => name switch
        {
            "purpose" => invocation.Purpose,
            "tool" => invocation.Tool.Name,
            "error" => error,
            _ => null,
        });

    private static ScenarioResult Result(ScenarioContext ctx, Invocation invocation, List<Message> messages) =>
        new(ctx.Offer([invocation.Tool]), messages, ConversationKind.AgentChat);
}
