using System.Text.RegularExpressions;
using AgentFlan.Conversations;
using AgentFlan.Synthetic;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Synthetic;

[TestClass]
public sealed class HeldOutTests
{
    private static readonly List<Conversation> Train = SyntheticCorpus.Generate(new SyntheticOptions { Count = 4000, Seed = 21 }).ToList();
    private static readonly List<Conversation> HeldOut =
        SyntheticCorpus.Generate(new SyntheticOptions { Count = 1500, Seed = 21, Split = SyntheticSplit.HeldOut }).ToList();

    [TestMethod]
    public void HeldOutToolsNeverAppearInTrainingOutputInAnyFormat()
    {
        Assert.IsTrue(ToolCatalog.HeldOutToolNames.Count >= 8);
        foreach (var format in Enum.GetValues<CorpusFormat>())
        {
            foreach (var c in Train.Take(1500))
            {
                var text = CorpusWriter.BuildRecord(format, c).ToJsonString();
                foreach (var name in ToolCatalog.HeldOutToolNames)
                {
                    Assert.IsFalse(text.Contains(name, StringComparison.Ordinal), $"{format} {c.Id} mentions held-out tool {name}");
                }
            }
        }
    }

    [TestMethod]
    public void HeldOutPhrasingsNeverAppearInTrainingQueries()
    {
        var patterns = ToolCatalog.Tools.SelectMany(t => t.HeldOut ? t.Phrasings : t.HeldOutPhrasings)
            .Concat(Phrasebook.HeldOutSwapFollowUps)
            .Concat(Phrasebook.HeldOutNoToolAnswers)
            .Concat(Chains.HeldOutRequests)
            .Select(ToRegex)
            .ToList();
        var trainTexts = Train.SelectMany(c => c.Messages).Select(m => m.Content).ToList();

        foreach (var pattern in patterns)
        {
            Assert.IsFalse(trainTexts.Any(pattern.IsMatch), $"held-out phrasing {pattern} appears in training output");
        }

        var heldOutTexts = HeldOut.SelectMany(c => c.Messages).Select(m => m.Content).ToList();
        Assert.IsTrue(patterns.Count(p => heldOutTexts.Any(p.IsMatch)) > patterns.Count * 0.8, "the held-out split uses its phrasings");
    }

    [TestMethod]
    public void HeldOutChatItemsNeverAppearInTraining()
    {
        var reserved = ChatPool.For(ChatPool.General, SyntheticSplit.HeldOut).Concat(ChatPool.For(ChatPool.DomainConcepts, SyntheticSplit.HeldOut))
            .Select(p => p.Answer).ToHashSet();
        Assert.IsTrue(reserved.Count > 5);

        Assert.IsFalse(Train.SelectMany(c => c.Messages).Any(m => reserved.Contains(m.Content)));
        Assert.IsTrue(HeldOut.SelectMany(c => c.Messages).Any(m => reserved.Contains(m.Content)));
    }

    [TestMethod]
    public void HeldOutSplitExercisesHeldOutTools()
    {
        var used = HeldOut.SelectMany(c => c.Messages).SelectMany(m => m.ToolCalls).Select(c => c.Name).ToHashSet();

        CollectionAssert.IsSubsetOf(ToolCatalog.HeldOutToolNames.ToList(), used.ToList());
    }

    /// <summary>A template as a regex: literal text kept, each slot any non-empty text.</summary>
    private static Regex ToRegex(string template) =>
        new(string.Join(".+?", Regex.Split(template, "\\{[^}]+\\}").Select(Regex.Escape)), RegexOptions.None, TimeSpan.FromSeconds(1));
}
