using AgentFlan.TestUtilities;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class SpoolBufferTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Bytes_read_back_from_any_offset_across_chunks_in_memory_and_after_a_spill(bool spill)
    {
        using var temp = new TempDirectory();
        var bytes = new byte[(5 << 19) + 123];
        new Random(7).NextBytes(bytes);
        using var buffer = new SpoolBuffer();
        int at = 0;
        foreach (var size in Enumerable.Repeat(new[] { 1, 77_777, 4096, 1 << 20, 3 }, 10).SelectMany(s => s))
        {
            int n = Math.Min(size, bytes.Length - at);
            buffer.Write(bytes.AsSpan(at, n));
            at += n;
            if (spill && at > bytes.Length / 2 && buffer.SpillPath is null)
            {
                buffer.Spill(temp.Combine("spool.bin"));
            }
        }

        buffer.Write(bytes.AsSpan(at));
        Assert.AreEqual(bytes.Length, buffer.Length);
        Assert.AreEqual(spill, buffer.SpillPath is not null);
        foreach (var offset in new long[] { 0, 1, (1 << 20) - 1, 1 << 20, (1 << 21) + 5, bytes.Length })
        {
            using var read = buffer.OpenRead(offset);
            using var copy = new MemoryStream();
            read.CopyTo(copy);
            CollectionAssert.AreEqual(bytes[(int)offset..], copy.ToArray(), $"from {offset}");
        }
    }
}
