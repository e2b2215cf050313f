using AgentFlan.Readers;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>Each format's fixtures (good records and every documented defect) against their golden canonical form.</summary>
[TestClass]
public sealed class GoldenTests
{
    [TestMethod]
    [DataRow("agentflan", "agentflan_react.jsonl")]
    [DataRow("agentflan", "toolbench_negative.jsonl")]
    [DataRow("agentflan", "toolbench_instruct_j1s1.jsonl")]
    [DataRow("agentinstruct", "agentinstruct.jsonl")]
    [DataRow("toolbench", "toolbench")]
    [DataRow("toolbench", "toolbench_query.json")]
    [DataRow("toolllama", "toolllama.json")]
    [DataRow("glaive", "glaive.json")]
    [DataRow("sharegpt", "sharegpt.json")]
    [DataRow("openai", "openai_clean.jsonl")]
    [DataRow("openai", "openai_defects.jsonl")]
    public void Fixture_MatchesGolden(string format, string fixture)
    {
        var results = Fixtures.Read(format, fixture);

        Fixtures.AssertGolden(Path.GetFileNameWithoutExtension(fixture), results);
    }

    [TestMethod]
    [DataRow("agentflan", "agentflan_react.jsonl", 5)]
    [DataRow("agentinstruct", "agentinstruct.jsonl", 17)]
    [DataRow("toolbench", "toolbench", 6)]
    [DataRow("toolllama", "toolllama.json", 4)]
    [DataRow("glaive", "glaive.json", 13)]
    [DataRow("sharegpt", "sharegpt.json", 8)]
    [DataRow("openai", "openai_defects.jsonl", 10)]
    public void Accounting_ReadIsAcceptedPlusRepairedPlusRejected(string format, string fixture, int records)
    {
        var tally = new ReadTally();
        foreach (var result in Fixtures.Read(format, fixture))
        {
            tally.Add(result);
        }

        Assert.AreEqual(records, tally.Read, "every record of the fixture is accounted for");
        Assert.AreEqual(tally.Read, tally.Accepted + tally.Repaired + tally.Rejected);
        Assert.AreEqual(tally.Rejected, tally.RejectedByCode.Values.Sum());
    }
}
