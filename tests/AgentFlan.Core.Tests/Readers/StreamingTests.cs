using System.Text;
using AgentFlan.Readers;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>Memory stays flat whatever the file size: the reader holds one record, never the file.</summary>
[TestClass]
public sealed class StreamingTests
{
    [TestMethod]
    public void LargeJsonArray_IsReadWithBoundedMemory()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("big.json");
        const int Records = 40_000;
        WriteArray(file, Records);
        var fileBytes = new FileInfo(file).Length;
        Assert.IsGreaterThan(24L << 20, fileBytes, "the file should dwarf the memory bound");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var read = 0;
        foreach (var result in SourceReaders.Find("sharegpt")!.Read(file, "big", CancellationToken.None))
        {
            Assert.IsInstanceOfType<AcceptedRecord>(result);
            if (++read % 10_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.AreEqual(Records, read);
        Assert.IsLessThan(8L << 20, peak, $"live memory grew by {peak} bytes while reading a {fileBytes}-byte file");
    }

    private static void WriteArray(string file, int records)
    {
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        writer.Write('[');
        var text = new string('w', 600);
        for (var i = 0; i < records; i++)
        {
            if (i > 0)
            {
                writer.Write(",\n");
            }

            writer.Write($$"""{"id": "r{{i}}", "conversations": [{"from": "human", "value": "question {{i}} {{text}}"}, {"from": "gpt", "value": "answer {{i}} {{text}}"}]}""");
        }

        writer.Write(']');
    }
}
