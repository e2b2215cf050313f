using System.Buffers.Binary;
using AgentFlan.Build.Tasks.Native;

namespace AgentFlan.Build.Tasks.Tests.Native;

[TestClass]
public sealed class ElfVersionNeedsTests
{
    private static readonly string[] Glibcxx32 = ["GLIBCXX_3.4.32"];

    [TestMethod]
    public void Reads_every_requirement_with_its_library()
    {
        var image = Sample().Build();

        var needs = ElfVersionNeeds.Read(image);

        CollectionAssert.AreEqual(
            new[] { "libstdc++.so.6 GLIBCXX_3.4.30", "libstdc++.so.6 GLIBCXX_3.4.32", "libc.so.6 GLIBC_2.34" },
            needs.Select(n => $"{n.Library} {n.Version}").ToArray());
        Assert.IsTrue(needs.All(n => !n.IsWeak));
    }

    [TestMethod]
    public void Weaken_sets_the_weak_flag_on_the_named_version_only_and_is_idempotent()
    {
        var image = Sample().Build();
        var before = (byte[])image.Clone();

        var changed = ElfVersionNeeds.Weaken(image, Glibcxx32);

        Assert.HasCount(1, changed);
        Assert.AreEqual("GLIBCXX_3.4.32", changed[0].Version);
        Assert.IsTrue(changed[0].IsWeak);
        var after = ElfVersionNeeds.Read(image);
        CollectionAssert.AreEqual(new[] { false, true, false }, after.Select(n => n.IsWeak).ToArray());
        var differing = Enumerable.Range(0, image.Length).Where(i => image[i] != before[i]).ToArray();
        CollectionAssert.AreEqual(new[] { (int)changed[0].FlagsOffset }, differing, "exactly one byte of vna_flags changes");
        Assert.IsEmpty(ElfVersionNeeds.Weaken(image, Glibcxx32));
    }

    [TestMethod]
    public void An_image_that_does_not_need_the_version_is_left_alone()
    {
        var image = new ElfImageBuilder().Needs("libc.so.6", "GLIBC_2.34").Build();
        var before = (byte[])image.Clone();

        Assert.IsEmpty(ElfVersionNeeds.Weaken(image, Glibcxx32));
        CollectionAssert.AreEqual(before, image);
    }

    [TestMethod]
    public void Reads_the_versions_a_library_defines()
    {
        var image = new ElfImageBuilder().Defines("libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30").Build();

        CollectionAssert.AreEqual(new[] { "libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30" }, ElfVersionNeeds.ReadDefinitions(image).ToArray());
    }

    [TestMethod]
    public void Rejects_a_file_that_is_not_elf64_little_endian()
    {
        var text = "#!/bin/sh\necho not a library\n"u8.ToArray().Concat(new byte[64]).ToArray();
        var elf32 = Sample().Build();
        elf32[4] = 1;

        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(text)).Message, "not an ELF file");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(elf32)).Message, "ELF64");
        Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[10]));
    }

    [TestMethod]
    public void Rejects_truncated_images_at_every_length()
    {
        var builder = Sample();
        var image = builder.Build();

        // Cutting anywhere after the ELF header loses a section header, the string table or a requirement.
        for (int length = 64; length < image.Length; length += 8)
        {
            var cut = image.AsSpan(0, length).ToArray();
            Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(cut), $"length {length}");
        }
    }

    [TestMethod]
    public void Rejects_offsets_that_point_outside_their_section()
    {
        var builder = Sample();
        var badNext = builder.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(badNext.AsSpan((int)builder.NeedsOffset + 12), 0x7fff_0000);
        var badName = builder.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(badName.AsSpan((int)builder.NeedsOffset + 16 + 8), 0x10000);
        var badLink = builder.Build();
        BinaryPrimitives.WriteUInt32LittleEndian(badLink.AsSpan((int)builder.SectionTableOffset + (2 * 64) + 40), 77);
        var pastEnd = builder.Build();
        BinaryPrimitives.WriteUInt64LittleEndian(pastEnd.AsSpan((int)builder.SectionTableOffset + (2 * 64) + 32), 1UL << 40);

        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(badNext)).Message, "outside its section");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(badName)).Message, "string table");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(badLink)).Message, "links to string table 77");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeeds.Read(pastEnd)).Message, "truncated?");
    }

    [TestMethod]
    public void Weakens_the_real_libLibTorchSharp_from_the_nuget_cache()
    {
        // The solution restores TorchSharp, so the package cache holds the library on every machine that builds it.
        var original = LibTorchSharpInPackageCache();
        Assert.IsNotNull(original, "libLibTorchSharp.so is not in the NuGet package cache: restore the solution first.");

        var image = File.ReadAllBytes(original); // a copy in memory: the cache is never written

        var needs = ElfVersionNeeds.Read(image);
        Assert.IsTrue(needs.Any(n => n is { Library: "libstdc++.so.6", Version: "GLIBCXX_3.4.32", IsWeak: false }));
        var changed = ElfVersionNeeds.Weaken(image, Glibcxx32);
        Assert.HasCount(1, changed);
        Assert.HasCount(needs.Count, ElfVersionNeeds.Read(image));
    }

    [TestMethod]
    public void Agrees_with_readelf_on_the_real_library()
    {
        var original = LibTorchSharpInPackageCache();
        var readelf = new[] { "/usr/bin/readelf", "/bin/readelf" }.FirstOrDefault(File.Exists);
        Assert.IsNotNull(original, "libLibTorchSharp.so is not in the NuGet package cache: restore the solution first.");
        Assert.IsNotNull(readelf, "binutils' readelf is needed to cross-check the ELF reader (it comes with the C++ toolchain).");

        var info = new System.Diagnostics.ProcessStartInfo(readelf, ["-V", "-W", original]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        // "Version needs section" lines: "  0x0140:   Name: GLIBCXX_3.4.32  Flags: none  Version: 18"
        var needsPart = output[output.IndexOf("Version needs section", StringComparison.Ordinal)..];
        var expected = needsPart.Split('\n')
            .Where(l => l.Contains("Name: ", StringComparison.Ordinal) && l.Contains("Flags: ", StringComparison.Ordinal))
            .Select(l => l.Split("Name: ")[1].Split(' ')[0] + (l.Contains("WEAK", StringComparison.Ordinal) ? " weak" : string.Empty))
            .ToArray();
        var actual = ElfVersionNeeds.Read(File.ReadAllBytes(original)).Select(n => n.Version + (n.IsWeak ? " weak" : string.Empty)).ToArray();

        Assert.IsNotEmpty(expected);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void Finds_the_host_cpp_runtime_and_its_versions()
    {
        var host = HostCppRuntime.Locate();
        Assert.IsNotNull(host, "No libstdc++.so.6 found: the .NET runtime itself needs one on Linux.");

        var defined = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(host));

        CollectionAssert.Contains(defined.ToArray(), "GLIBCXX_3.4");
        Assert.IsTrue(HostCppRuntime.Defines(host, "GLIBCXX_3.4"));
    }

    private static string? LibTorchSharpInPackageCache()
    {
        var path = Path.Combine(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        return File.Exists(path) ? path : null;
    }

    private static ElfImageBuilder Sample() =>
        new ElfImageBuilder()
            .Needs("libstdc++.so.6", "GLIBCXX_3.4.30", "GLIBCXX_3.4.32")
            .Needs("libc.so.6", "GLIBC_2.34");
}
