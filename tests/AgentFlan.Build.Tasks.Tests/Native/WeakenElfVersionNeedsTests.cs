using AgentFlan.Build.Tasks.Native;
using AgentFlan.TestUtilities;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace AgentFlan.Build.Tasks.Tests.Native;

[TestClass]
public sealed class WeakenElfVersionNeedsTests
{
    private static readonly DateTime Stamp = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void Patches_the_output_copy_keeps_its_timestamp_and_says_why()
    {
        using var temp = new TempDirectory();
        var library = WriteLibrary(temp, "libLibTorchSharp.so");
        var task = Task(temp, library, hostDefines: "GLIBCXX_3.4.30");

        Assert.IsTrue(task.Execute(), Engine(task).AllText);

        Assert.IsTrue(ElfVersionNeeds.Read(File.ReadAllBytes(library)).Single(n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.AreEqual(Stamp, File.GetLastWriteTimeUtc(library));
        Assert.HasCount(1, task.PatchedFiles);
        var message = Engine(task).Messages.Single(m => m.Importance == MessageImportance.High).Message!;
        StringAssert.Contains(message, "GLIBCXX_3.4.32 weak in " + library);
        StringAssert.Contains(message, "lacks it");
        Assert.IsEmpty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [TestMethod]
    public void Leaves_the_library_alone_when_the_host_provides_the_version()
    {
        using var temp = new TempDirectory();
        var library = WriteLibrary(temp, "libLibTorchSharp.so");
        var before = File.ReadAllBytes(library);
        var task = Task(temp, library, hostDefines: "GLIBCXX_3.4.32");

        Assert.IsTrue(task.Execute());

        CollectionAssert.AreEqual(before, File.ReadAllBytes(library));
        Assert.IsEmpty(task.PatchedFiles);
    }

    [TestMethod]
    public void A_second_run_changes_nothing_and_missing_candidates_are_skipped()
    {
        using var temp = new TempDirectory();
        var library = WriteLibrary(temp, "libLibTorchSharp.so");
        Assert.IsTrue(Task(temp, library, hostDefines: "GLIBCXX_3.4.30").Execute());

        var again = Task(temp, library, hostDefines: "GLIBCXX_3.4.30");
        again.Files = [new TaskItem(library), new TaskItem(temp.Combine("runtimes", "linux-x64", "native", "libLibTorchSharp.so"))];

        Assert.IsTrue(again.Execute(), Engine(again).AllText);
        Assert.IsEmpty(again.PatchedFiles);
        Assert.IsEmpty(Engine(again).Errors);
    }

    [TestMethod]
    public void A_file_that_is_not_elf_is_error_AFB4003()
    {
        using var temp = new TempDirectory();
        var notElf = temp.WriteFile("libLibTorchSharp.so", "this is text, not a shared library");
        var task = Task(temp, notElf, hostDefines: "GLIBCXX_3.4.30");

        Assert.IsFalse(task.Execute());

        var error = Engine(task).Errors.Single();
        Assert.AreEqual("AFB4003", error.Code);
        Assert.AreEqual(notElf, error.File);
        StringAssert.Contains(error.Message, "not an ELF file");
    }

    private static string WriteLibrary(TempDirectory temp, string name)
    {
        var path = temp.Combine(name);
        File.WriteAllBytes(path, new ElfImageBuilder().Needs("libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32").Build());
        File.SetLastWriteTimeUtc(path, Stamp);
        return path;
    }

    private static WeakenElfVersionNeeds Task(TempDirectory temp, string library, string hostDefines)
    {
        var host = temp.Combine("host-libstdc++.so.6");
        File.WriteAllBytes(host, new ElfImageBuilder().Defines("libstdc++.so.6", "GLIBCXX_3.4", hostDefines).Build());
        return new WeakenElfVersionNeeds
        {
            BuildEngine = new FakeBuildEngine(),
            Files = [new TaskItem(library)],
            Versions = ["GLIBCXX_3.4.32"],
            HostLibrary = host,
        };
    }

    private static FakeBuildEngine Engine(WeakenElfVersionNeeds task) => (FakeBuildEngine)task.BuildEngine;
}
