using AgentFlan.Conversations;
using AgentFlan.Synthetic;

namespace AgentFlan.Core.Tests.Synthetic;

[TestClass]
public sealed class ConsistencyTests
{
    [TestMethod]
    [DataRow(SyntheticSplit.Train, 3)]
    [DataRow(SyntheticSplit.HeldOut, 5)]
    public void EveryConversationIsInternallyConsistent(SyntheticSplit split, int seed)
    {
        var conversations = SyntheticCorpus.Generate(new SyntheticOptions { Count = 2500, Seed = seed, Split = split }).ToList();

        var problems = conversations.SelectMany(CorpusChecks.All).Take(20).ToList();

        Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
    }

    [TestMethod]
    public void NegativeAndGeneralSamplesNeverCallTools()
    {
        var conversations = SyntheticCorpus.Generate(new SyntheticOptions { Count = 1500, Seed = 9 }).ToList();

        foreach (var c in conversations.Where(c => c.Kind is ConversationKind.Negative or ConversationKind.General))
        {
            Assert.IsFalse(c.Messages.Any(m => m.ToolCalls.Count > 0 || m.Role == Role.Tool), c.Id);
        }

        Assert.IsTrue(conversations.Any(c => c.Kind == ConversationKind.Negative && c.Tools.Count > 0), "tools offered, none needed");
        Assert.IsTrue(conversations.Any(c => c.Kind == ConversationKind.Negative && c.Tools.Count == 0), "tool-like query, no tools");
        Assert.IsTrue(conversations.Where(c => c.Kind == ConversationKind.General).All(c => c.Tools.Count == 0));
    }

    [TestMethod]
    public void ToolConversationsCoverEveryShape()
    {
        var conversations = SyntheticCorpus.Generate(new SyntheticOptions { Count = 1500, Seed = 4 }).ToList();
        var agent = conversations.Where(c => c.Kind == ConversationKind.AgentChat).ToList();

        Assert.IsTrue(agent.Any(c => c.Messages.Count(m => m.ToolCalls.Count > 0) >= 2 && c.Messages.Count(m => m.Role == Role.User) == 1), "several tools in sequence");
        Assert.IsTrue(agent.Any(c => c.Messages.Count(m => m.Role == Role.User) == 2), "follow-up turn");
        Assert.IsTrue(agent.Any(c => c.Messages.Any(m => m.Role == Role.Tool && m.Content.Contains("\"error\"", StringComparison.Ordinal))), "tool error");
        Assert.IsTrue(agent.Any(c => c.Messages.Any(m => m.Role == Role.Tool && m.Content == "{\"results\":[]}")), "empty result");
    }

    [TestMethod]
    public void TheChecksCatchBrokenConversations()
    {
        var c = SyntheticCorpus.Generate(new SyntheticOptions { Count = 200, Seed = 1 })
            .First(c => c.Messages.Count(m => m.ToolCalls.Count > 0) == 1 && !c.Messages.Any(m => m.Content.Contains("error", StringComparison.Ordinal) || m.Content.Contains("[]", StringComparison.Ordinal)));
        var call = c.Messages.First(m => m.ToolCalls.Count > 0).ToolCalls[0];
        var wrongAnswer = c with { Messages = [.. c.Messages.Take(c.Messages.Count - 1), Message.Assistant("I have no idea.")] };
        var wrongTool = c with { Tools = c.Tools.Where(t => t.Name != call.Name).ToList() };
        var invented = c with
        {
            Messages = [.. c.Messages.Select(m => m.ToolCalls.Count == 0 ? m : m with { ToolCalls = [call with { Arguments = new() { ["invented"] = "zzz-not-in-query" } }] })],
        };

        Assert.AreNotEqual(0, CorpusChecks.AnswersUseResults(wrongAnswer).Count());
        Assert.AreNotEqual(0, CorpusChecks.CallsMatchOfferedTools(wrongTool).Count());
        Assert.AreNotEqual(0, CorpusChecks.ArgumentsComeFromTheQuery(invented).Count());
        Assert.AreEqual(0, CorpusChecks.All(c).Count());
    }
}
