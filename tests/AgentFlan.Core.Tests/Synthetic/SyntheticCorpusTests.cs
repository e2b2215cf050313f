using System.Collections.Concurrent;
using AgentFlan.Synthetic;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Synthetic;

[TestClass]
public sealed class SyntheticCorpusTests
{
    private static string Dump(AgentFlan.Conversations.Conversation c) =>
        CorpusWriter.BuildRecord(CorpusFormat.OpenAi, c).ToJsonString() + c.Kind;

    [TestMethod]
    public void SameSeedGivesTheSameConversations()
    {
        var options = new SyntheticOptions { Count = 400, Seed = 42 };

        CollectionAssert.AreEqual(
            SyntheticCorpus.Generate(options).Select(Dump).ToList(),
            SyntheticCorpus.Generate(options).Select(Dump).ToList());
    }

    [TestMethod]
    public void EachConversationDependsOnlyOnSeedAndIndex()
    {
        var options = new SyntheticOptions { Count = 300, Seed = 7 };
        var sequential = SyntheticCorpus.Generate(options).Select(Dump).ToList();
        var shorter = SyntheticCorpus.Generate(options with { Count = 50 }).Select(Dump).ToList();
        var parallel = new ConcurrentDictionary<int, string>();
        Parallel.For(0, options.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Dump(SyntheticCorpus.Create(options, i)));

        CollectionAssert.AreEqual(sequential.Take(50).ToList(), shorter);
        CollectionAssert.AreEqual(sequential, Enumerable.Range(0, options.Count).Select(i => parallel[i]).ToList());
    }

    [TestMethod]
    public void DifferentSeedsGiveDifferentCorpora()
    {
        var a = SyntheticCorpus.Generate(new SyntheticOptions { Count = 50, Seed = 1 }).Select(Dump).ToList();
        var b = SyntheticCorpus.Generate(new SyntheticOptions { Count = 50, Seed = 2 }).Select(Dump).ToList();

        Assert.IsTrue(a.Zip(b).Count(p => p.First == p.Second) < 5);
    }

    [TestMethod]
    public void IdsAreUniqueStableAndCarryProvenance()
    {
        var train = SyntheticCorpus.Generate(new SyntheticOptions { Count = 1000, Seed = 3 }).ToList();
        var heldOut = SyntheticCorpus.Generate(new SyntheticOptions { Count = 1000, Seed = 3, Split = SyntheticSplit.HeldOut }).ToList();

        Assert.AreEqual(2000, train.Concat(heldOut).Select(c => c.Id).Distinct().Count());
        Assert.AreEqual("syn-train-3-000017", train[17].Id);
        Assert.AreEqual("synthetic", train[17].Provenance.Source);
        Assert.AreEqual(17, train[17].Provenance.Index);
    }

    [TestMethod]
    public void DefaultKindMixIsHonoured()
    {
        var options = new SyntheticOptions { Count = 6000, Seed = 11 };
        var counts = Enumerable.Range(0, options.Count).GroupBy(i => SyntheticCorpus.KindOf(options, i)).ToDictionary(g => g.Key, g => g.Count());
        var total = SyntheticCorpus.DefaultKindMix.Values.Sum();

        foreach (var (kind, weight) in SyntheticCorpus.DefaultKindMix)
        {
            Assert.AreEqual(weight / total, counts.GetValueOrDefault(kind) / (double)options.Count, 0.02, kind.ToString());
        }
    }

    [TestMethod]
    public void CustomKindMixIsHonouredAndMissingKindsNeverAppear()
    {
        var options = new SyntheticOptions
        {
            Count = 2000,
            Seed = 5,
            KindMix = new Dictionary<SyntheticKind, double> { [SyntheticKind.NoToolsOffered] = 3, [SyntheticKind.GeneralChat] = 1 },
        };
        var conversations = SyntheticCorpus.Generate(options).ToList();
        var negatives = conversations.Count(c => c.Kind == AgentFlan.Conversations.ConversationKind.Negative);

        Assert.AreEqual(0.75, negatives / 2000.0, 0.03);
        Assert.IsTrue(conversations.All(c => c.Kind is AgentFlan.Conversations.ConversationKind.Negative or AgentFlan.Conversations.ConversationKind.General));
        Assert.IsTrue(conversations.All(c => c.Tools.Count == 0));
    }

    [TestMethod]
    public void InvalidKindMixIsRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => SyntheticCorpus.Generate(new SyntheticOptions
        {
            KindMix = new Dictionary<SyntheticKind, double> { [SyntheticKind.SingleCall] = 0 },
        }));
    }
}
