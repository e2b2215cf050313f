using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Readers;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Readers;

[TestClass]
public sealed class QuarantineTests
{
    [TestMethod]
    public void RejectedRecords_AreWrittenWithLocationCodeReasonAndRaw_OnlyOnCommit()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("out", "rejected.jsonl");
        var rejected = Fixtures.Read("openai", "openai_defects.jsonl").OfType<RejectedRecord>().ToList();

        using (var writer = new QuarantineWriter(path))
        {
            foreach (var record in rejected)
            {
                writer.Write(record);
            }

            Assert.IsFalse(File.Exists(path), "nothing is published before Commit");
            writer.Commit();
        }

        var lines = File.ReadAllLines(path).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.HasCount(rejected.Count, lines);
        Assert.AreEqual("fixture", (string)lines[0]["source"]!);
        Assert.AreEqual(3, (int)lines[0]["line"]!);
        Assert.AreEqual(ReaderCodes.OrphanToolResult, (string)lines[0]["code"]!);
        Assert.Contains("nope", (string)lines[0]["raw"]!);
        Assert.AreEqual("not json at all", (string)lines[^1]["raw"]!);
        Assert.HasCount(1, Directory.GetFiles(Path.GetDirectoryName(path)!), "no temp file is left behind");
    }

    [TestMethod]
    public void WriterDisposedWithoutCommit_LeavesNothing()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("rejected.jsonl");

        using (var writer = new QuarantineWriter(path))
        {
            writer.Write(new RejectedRecord(new Provenance("s", "f.json", 0, 4), "why", ReaderCodes.UnexpectedShape, "{}"));
        }

        Assert.IsEmpty(Directory.GetFiles(temp.Path));
    }

    [TestMethod]
    public void Tally_CountsByCode_KeepsFirstLocations_AndSeparatesFilters()
    {
        var tally = new ReadTally(examplesPerCode: 1);
        foreach (var result in Fixtures.Read("toolbench", "toolbench"))
        {
            tally.Add(result);
        }

        Assert.AreEqual(6, tally.Read);
        Assert.AreEqual(1, tally.Accepted);
        Assert.AreEqual(1, tally.Repaired);
        Assert.AreEqual(4, tally.Rejected);
        Assert.AreEqual(3, tally.Filtered);
        Assert.AreEqual(2, tally.RejectedByCode[ReaderCodes.NoFinalAnswer]);
        Assert.AreEqual(1, tally.RepairedByCode[ReaderCodes.TruncatedResult]);
        Assert.HasCount(1, tally.Examples(ReaderCodes.NoFinalAnswer));
        Assert.EndsWith("104_ChatGPT_DFS_woFilter_w2.json(1)", ReadTally.Locate(tally.Examples(ReaderCodes.NoFinalAnswer)[0].Where));
    }
}
