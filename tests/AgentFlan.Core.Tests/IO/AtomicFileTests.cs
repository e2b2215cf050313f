using AgentFlan.IO;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.IO;

[TestClass]
public sealed class AtomicFileTests
{
    [TestMethod]
    public void Writes_replace_whole_files_and_leave_no_temp_file()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("out", "a.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");

        Assert.AreEqual("two", File.ReadAllText(path));
        Assert.AreEqual(1, Directory.GetFiles(temp.Combine("out")).Length);
        Assert.IsFalse(AtomicFile.WriteAllTextIfChanged(path, "two"));
    }

    [TestMethod]
    public void Only_temp_files_of_dead_writers_are_removed()
    {
        using var temp = new TempDirectory();
        var mine = AtomicFile.TempPathFor(temp.Combine("shard.afbshard"));
        File.WriteAllText(mine, "in progress");
        var dead = temp.Combine($".shard.afbshard.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(dead, "abandoned");

        AtomicFile.RemoveAbandoned(temp.Path);

        Assert.IsTrue(File.Exists(mine), "a live writer's file is left alone");
        Assert.IsFalse(File.Exists(dead));
    }
}
