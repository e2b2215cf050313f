using AgentFlan.Caching;
using AgentFlan.Hashing;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Caching;

[TestClass]
public sealed class FileHashMemoTests
{
    private static readonly DateTime Written = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [TestMethod]
    public void A_settled_unchanged_file_is_not_read_again()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", "first version\n");
        File.SetLastWriteTimeUtc(file, Written);
        var memo = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));
        Assert.AreEqual(ContentHash.OfFile(file), memo.Sha256(file));
        memo.Save();

        var again = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(6));
        Assert.AreEqual(ContentHash.OfFile(file), again.Sha256(file));
        Assert.AreEqual((1, 0), (again.Hits, again.Misses));
    }

    [TestMethod]
    public void A_file_hashed_within_the_racy_window_is_hashed_again_even_with_the_same_length_and_time()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", "first version\n");
        File.SetLastWriteTimeUtc(file, Written);

        // Hashed one second after it was written: a second write in the same timestamp tick would go unseen.
        var memo = new FileHashMemo(temp.Combine("cache"), () => Written.AddSeconds(1));
        var first = memo.Sha256(file);
        memo.Save();

        File.WriteAllText(file, "other version\n");
        File.SetLastWriteTimeUtc(file, Written);
        var again = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));

        var second = again.Sha256(file);
        Assert.AreNotEqual(first, second);
        Assert.AreEqual(ContentHash.OfFile(file), second);
        Assert.AreEqual((0, 1), (again.Hits, again.Misses));
        again.Save();

        // Now hashed long after its write: trusted from here on.
        var third = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(6));
        Assert.AreEqual(second, third.Sha256(file));
        Assert.AreEqual((1, 0), (third.Hits, third.Misses));
    }

    [TestMethod]
    public void A_new_length_or_write_time_is_hashed_again()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", "first version\n");
        File.SetLastWriteTimeUtc(file, Written);
        var memo = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));
        memo.Sha256(file);
        memo.Save();

        File.WriteAllText(file, "a longer second version\n");
        File.SetLastWriteTimeUtc(file, Written);
        var longer = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(6));
        Assert.AreEqual(ContentHash.OfFile(file), longer.Sha256(file));
        Assert.AreEqual(1, longer.Misses);
        longer.Save();

        File.WriteAllText(file, "a longer third version.\n");
        File.SetLastWriteTimeUtc(file, Written.AddSeconds(10));
        var later = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(7));
        Assert.AreEqual(ContentHash.OfFile(file), later.Sha256(file));
        Assert.AreEqual(1, later.Misses);
    }

    [TestMethod]
    public void A_damaged_memo_is_ignored_and_replaced()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", "content\n");
        File.SetLastWriteTimeUtc(file, Written);
        var folder = temp.Combine("cache", FileHashMemo.Folder);
        Directory.CreateDirectory(folder);
        foreach (var damage in new[] { "{ not json", "{\"version\": 1, \"files\": [{\"path\": 3}]}", "{\"version\": 99, \"files\": []}", "" })
        {
            File.WriteAllText(Path.Combine(folder, "memo.json"), damage);
            var memo = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));
            Assert.AreEqual(ContentHash.OfFile(file), memo.Sha256(file), damage);
            Assert.AreEqual(1, memo.Misses, damage);
            memo.Save();
            var reread = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));
            Assert.AreEqual(ContentHash.OfFile(file), reread.Sha256(file), damage);
            Assert.AreEqual(1, reread.Hits, $"{damage}: replaced by a valid memo");
        }

        Assert.IsFalse(Directory.EnumerateFiles(folder, ".*").Any(), "no temp file left");
    }

    [TestMethod]
    public void Saving_keeps_what_another_build_saved_meanwhile()
    {
        using var temp = new TempDirectory();
        var a = temp.WriteFile("a.jsonl", "a\n");
        var b = temp.WriteFile("b.jsonl", "b\n");
        File.SetLastWriteTimeUtc(a, Written);
        File.SetLastWriteTimeUtc(b, Written);
        var first = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));
        var second = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(5));
        first.Sha256(a);
        second.Sha256(b);
        first.Save();
        second.Save();

        var memo = new FileHashMemo(temp.Combine("cache"), () => Written.AddMinutes(6));
        memo.Sha256(a);
        memo.Sha256(b);
        Assert.AreEqual((2, 0), (memo.Hits, memo.Misses));
    }

    [TestMethod]
    public void A_memo_that_cannot_be_saved_costs_only_a_read()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("data.jsonl", "content\n");
        temp.WriteFile(Path.Combine("cache", FileHashMemo.Folder), "a file where the memo's folder goes");
        var memo = new FileHashMemo(temp.Combine("cache"));

        Assert.AreEqual(ContentHash.OfFile(file), memo.Sha256(file));
        memo.Save();
        Assert.AreEqual(ContentHash.OfFile(file), new FileHashMemo(temp.Combine("cache")).Sha256(file));
    }
}
