using System.Text;
using AgentFlan.Diagnostics;
using AgentFlan.Shards;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Shards;

[TestClass]
public sealed class ShardFormatTests
{
    private static readonly PackedRow[] Rows =
    [
        new([10, 11, 12, 13, 20, 21, 0, 0], [0, 1, 1, 0, 0, 1, 0, 0], [(0, 4, 0), (4, 2, 4)]),
        new([30, 31, 32, 33, 34, 35, 36, 70000], [0, 0, 1, 1, 1, 1, 1, 0], [(0, 8, 1)]),
    ];

    [TestMethod]
    public void Writes_the_documented_layout_byte_for_byte()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tiny.afbshard");
        ShardWriter.Write(path, 8, 4, Rows);

        var failure = Golden.Compare("tests/AgentFlan.Core.Tests/Shards/Golden/tiny-v2.afbshard.hex", Hex(File.ReadAllBytes(path)));
        Assert.IsNull(failure, failure);
        var mask = Golden.Compare("tests/AgentFlan.Core.Tests/Shards/Golden/tiny-v2.afbmask.hex", Hex(File.ReadAllBytes(ShardFormat.MaskPathOf(path))));
        Assert.IsNull(mask, mask);
    }

    [TestMethod]
    public void Mask_bits_cross_byte_and_row_boundaries()
    {
        // Rows of 5 tokens: row 1 starts at bit 5 of byte 0, so rows share bytes.
        PackedRow[] rows =
        [
            new([1, 2, 3, 4, 5], [1, 0, 1, 1, 1], [(0, 5, 0)]),
            new([6, 7, 8, 9, 10], [1, 1, 1, 1, 0], [(0, 5, 0)]),
            new([11, 12, 13, 14, 15], [0, 0, 0, 0, 1], [(0, 5, 0)]),
        ];
        using var temp = new TempDirectory();
        var path = temp.Combine("odd.afbshard");
        ShardWriter.Write(path, 5, 2, rows);
        using var reader = ShardReader.Open(path);
        var tokens = new int[5];
        var loss = new byte[5];
        for (int r = 0; r < rows.Length; r++)
        {
            reader.ReadRow(r, tokens, loss);
            CollectionAssert.AreEqual(rows[r].Loss, loss, $"row {r}");
        }

        var bits = new byte[3];
        MaskBits.SetRange(bits, 3, 14);
        CollectionAssert.AreEqual(new byte[] { 0b1111_1000, 0xFF, 0b0000_0001 }, bits);
        Assert.AreEqual(14, MaskBits.Count(bits));
    }

    [TestMethod]
    public void Round_trips_rows_masks_and_documents()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tiny.afbshard");
        ShardWriter.Write(path, 8, 4, Rows);

        using var reader = ShardReader.Open(path);
        Assert.AreEqual(8, reader.SequenceLength);
        Assert.AreEqual(2, reader.RowCount);
        Assert.AreEqual(3, reader.DocumentCount);
        var tokens = new int[8];
        var loss = new byte[8];
        for (int r = 0; r < Rows.Length; r++)
        {
            reader.ReadRow(r, tokens, loss);
            CollectionAssert.AreEqual(Rows[r].Tokens, tokens);
            CollectionAssert.AreEqual(Rows[r].Loss, loss);
            CollectionAssert.AreEqual(
                Rows[r].Documents.Select(d => new ShardDocument(r, d.Start, d.Length, d.Kind)).ToList(),
                reader.GetDocuments(r).ToList());
        }
    }

    [TestMethod]
    public void Two_byte_ids_refuse_values_that_do_not_fit()
    {
        using var temp = new TempDirectory();
        Assert.ThrowsExactly<OverflowException>(() => ShardWriter.Write(temp.Combine("x.afbshard"), 8, 2, Rows));
        Assert.IsFalse(Directory.EnumerateFiles(temp.Path).Any(), "a failed write must leave nothing behind");
    }

    [TestMethod]
    public void Damaged_files_fail_with_AFB2003()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tiny.afbshard");
        ShardWriter.Write(path, 8, 4, Rows);
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..^3]);
        var truncated = Assert.ThrowsExactly<DiagnosticException>(() => ShardReader.Open(path));
        Assert.AreEqual(DiagnosticCodes.ShardInvalid, truncated.Diagnostics.Single().Code);

        var foreign = (byte[])bytes.Clone();
        foreign[0] = (byte)'X';
        File.WriteAllBytes(path, foreign);
        var magic = Assert.ThrowsExactly<DiagnosticException>(() => ShardReader.Open(path));
        StringAssert.Contains(magic.Message, "bad magic");

        var future = (byte[])bytes.Clone();
        future[8] = 9;
        File.WriteAllBytes(path, future);
        var version = Assert.ThrowsExactly<DiagnosticException>(() => ShardReader.Open(path));
        StringAssert.Contains(version.Message, "version 9");
    }

    [TestMethod]
    public void A_missing_or_mismatched_mask_file_fails_with_AFB2003()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("tiny.afbshard");
        ShardWriter.Write(path, 8, 4, Rows);
        var other = temp.Combine("other.afbshard");
        ShardWriter.Write(other, 8, 4, Rows[..1]);

        File.Copy(ShardFormat.MaskPathOf(other), ShardFormat.MaskPathOf(path), overwrite: true);
        var mismatched = Assert.ThrowsExactly<DiagnosticException>(() => ShardReader.Open(path));
        Assert.AreEqual(DiagnosticCodes.ShardInvalid, mismatched.Diagnostics.Single().Code);
        StringAssert.Contains(mismatched.Message, "not the mask of that file");

        File.Delete(ShardFormat.MaskPathOf(path));
        var missing = Assert.ThrowsExactly<DiagnosticException>(() => ShardReader.Open(path));
        StringAssert.Contains(missing.Message, "mask file");
    }

    private static string Hex(byte[] bytes)
    {
        var text = new StringBuilder();
        for (int i = 0; i < bytes.Length; i += 16)
        {
            text.Append(Convert.ToHexStringLower(bytes, i, Math.Min(16, bytes.Length - i))).Append('\n');
        }

        return text.ToString();
    }
}
