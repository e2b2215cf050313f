using AgentFlan.Caching;
using AgentFlan.Diagnostics;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class StageCacheTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    [TestMethod]
    public void Stores_and_returns_payloads_by_stage_and_key()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        Assert.IsFalse(cache.TryGet("tokens", Key, out _));

        cache.Put("tokens", Key, [1, 2, 3]);

        Assert.IsTrue(cache.TryGet("tokens", Key, out var payload));
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, payload);
        Assert.AreEqual(("tokens", 1, 51L), cache.Usage().Single());
        Assert.IsFalse(Directory.EnumerateFiles(temp.Path, ".*", SearchOption.AllDirectories).Any(), "no temp file is left behind");
    }

    [TestMethod]
    public void A_blob_is_checked_by_the_checksum_kept_when_it_was_stored_or_else_by_its_name()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Combine("cache"));
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var file = temp.WriteFile("blob.bin", string.Empty);
        File.WriteAllBytes(file, bytes);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        cache.PutBlob("shards", sha256, file);
        File.Delete(file);

        Assert.IsTrue(cache.TryGetBlob("shards", sha256, temp.Combine("first")), "checked against the kept XXH128");
        CollectionAssert.AreEqual(bytes, File.ReadAllBytes(temp.Combine("first")));

        // Without the kept checksum (pruned apart), the blob is checked against its name and the checksum kept again.
        Directory.Delete(temp.Combine("cache", "shards-checks"), recursive: true);
        Assert.IsTrue(cache.TryGetBlob("shards", sha256, temp.Combine("second")));
        Assert.IsTrue(Directory.EnumerateFiles(temp.Combine("cache", "shards-checks"), "*", SearchOption.AllDirectories).Any());

        // Changed in place (through one of its links, as an outside tool might): rejected with a warning, and removed.
        using (var stream = new FileStream(temp.Combine("second"), FileMode.Open, FileAccess.Write))
        {
            stream.Position = 123_456;
            stream.WriteByte(0xEE);
        }

        Assert.IsFalse(cache.TryGetBlob("shards", sha256, temp.Combine("third")));
        Assert.AreEqual(DiagnosticCodes.CacheEntryCorrupt, cache.Warnings.Single().Code);
        Assert.IsFalse(File.Exists(temp.Combine("third")));
        Assert.IsFalse(cache.TryGetBlob("shards", sha256, temp.Combine("fourth")), "gone");
    }

    [TestMethod]
    public void An_entry_of_the_former_format_is_a_quiet_miss_and_is_removed()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        cache.Put("tokens", Key, [1, 2, 3, 4]);
        var file = Directory.EnumerateFiles(temp.Path, Key, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        "AFBCACH1"u8.CopyTo(bytes);
        File.WriteAllBytes(file, bytes);

        Assert.IsFalse(cache.TryGet("tokens", Key, out _));
        Assert.AreEqual(0, cache.Warnings.Count, "an upgrade is not damage");
        Assert.IsFalse(File.Exists(file));
    }

    [TestMethod]
    public void A_damaged_or_truncated_entry_is_a_miss_and_is_removed()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        cache.Put("tokens", Key, [1, 2, 3, 4]);
        var file = Directory.EnumerateFiles(temp.Path, Key, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        Assert.IsFalse(cache.TryGet("tokens", Key, out _));
        Assert.AreEqual(DiagnosticCodes.CacheEntryCorrupt, cache.Warnings.Single().Code);
        Assert.IsFalse(File.Exists(file));

        cache.Put("tokens", Key, [1, 2, 3, 4]);
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^2]);
        Assert.IsFalse(cache.TryGet("tokens", Key, out _), "a truncated entry (a killed writer) never looks valid");
    }

    [TestMethod]
    public void Concurrent_publishers_of_one_key_leave_one_valid_entry()
    {
        using var temp = new TempDirectory();
        var payload = Enumerable.Range(0, 1 << 16).Select(i => (byte)i).ToArray();
        Parallel.For(0, 8, _ => new StageCache(temp.Path).Put("tokens", Key, payload));

        Assert.IsTrue(new StageCache(temp.Path).TryGet("tokens", Key, out var read));
        CollectionAssert.AreEqual(payload, read);
    }

    [TestMethod]
    public void Prune_removes_entries_unused_for_the_given_time()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        cache.Put("tokens", Key, [9]);
        var file = Directory.EnumerateFiles(temp.Path, Key, SearchOption.AllDirectories).Single();
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-40));
        File.SetLastAccessTimeUtc(file, DateTime.UtcNow.AddDays(-40));

        Assert.AreEqual(0, cache.Prune(TimeSpan.FromDays(60)).Entries);
        Assert.AreEqual(1, cache.Prune(TimeSpan.FromDays(30)).Entries);
        Assert.IsFalse(cache.TryGet("tokens", Key, out _));
    }

    [TestMethod]
    public void A_streamed_entry_is_verified_once_read_to_the_end()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        cache.Put("tokens", Key, payload);

        using (var entry = cache.OpenStreaming("tokens", Key)!)
        {
            var head = new byte[10];
            entry.ReadAt(payload.Length - 10, head);
            CollectionAssert.AreEqual(payload[^10..], head, "a part read out of order");
            var read = new byte[1000];
            entry.ReadExactly(read);
            CollectionAssert.AreEqual(payload[..1000], read);
            entry.Verify();
        }

        Assert.IsEmpty(cache.Warnings);
        Assert.IsNull(cache.OpenStreaming("tokens", "ffffffffffffffff"));
    }

    [TestMethod]
    public void A_damaged_streamed_entry_is_found_at_the_end_removed_and_reported()
    {
        using var temp = new TempDirectory();
        var cache = new StageCache(temp.Path);
        cache.Put("tokens", Key, Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray());
        var file = Directory.EnumerateFiles(temp.Path, Key, SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^1000] ^= 0x01;
        File.WriteAllBytes(file, bytes);

        using (var entry = cache.OpenStreaming("tokens", Key)!)
        {
            entry.ReadExactly(new byte[100]);
            var damaged = Assert.ThrowsExactly<CacheEntryDamagedException>(entry.Verify);
            Assert.AreEqual(file, damaged.Path);
        }

        Assert.AreEqual(DiagnosticCodes.CacheEntryCorrupt, cache.Warnings.Single().Code);
        Assert.IsFalse(File.Exists(file));

        // A truncated entry (a killed writer) is refused before anything is read.
        cache.Put("tokens", Key, [1, 2, 3, 4]);
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..^2]);
        Assert.IsNull(cache.OpenStreaming("tokens", Key));
        Assert.HasCount(2, cache.Warnings);
    }
}
