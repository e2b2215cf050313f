using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Compilation;

/// <summary>
/// The generator writes the same conversations in every public format; a recipe reads each back through its
/// reader and compiles it. Exercises writers, readers, quarantine, tolerance and the manifest together.
/// </summary>
[TestClass]
public sealed class FileSourceCompileTests
{
    public static IEnumerable<object[]> Formats => CorpusWriter.FormatNames.Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void Every_format_compiles_from_generated_files(string format)
    {
        using var temp = new TempDirectory();
        Assert.IsTrue(CorpusWriter.TryParseFormat(format, out var corpusFormat));
        var conversations = SyntheticCorpus.Generate(new SyntheticOptions { Count = 40, Seed = 3 }).ToList();
        var path = temp.Combine("data", CorpusWriter.DefaultFileName(corpusFormat));
        CorpusWriter.Write(corpusFormat, conversations, path);
        var recipePath = temp.WriteFile("r.recipe.yaml", $"""
            sources:
              - name: files
                format: {format}
                path: data/{CorpusWriter.DefaultFileName(corpusFormat)}
            sequence:
              length: 1024
            """);
        var recipe = RecipeLoader.Load(recipePath).Recipe!;

        var manifest = RecipeCompiler.Compile(recipe, temp.Combine("out")).Manifest;

        var source = manifest.Statistics.Sources.Single();
        Assert.AreEqual(format, source.Format);
        Assert.AreEqual(source.Read, source.Accepted + source.Repaired + source.Rejected);
        Assert.IsTrue(source.Accepted + source.Repaired > 0, format);
        Assert.IsTrue(manifest.Statistics.SupervisedTokens > 0);
        Assert.IsNull(source.Quarantine, $"clean files leave no quarantine: {string.Join(", ", source.RejectedByCode)}");
        StringAssert.Contains(File.ReadAllText(temp.Combine("out", "report.md")), "## By source");
    }

    [TestMethod]
    public void Defective_records_are_quarantined_with_location_and_reason_and_tolerance_is_enforced()
    {
        using var temp = new TempDirectory();
        var conversations = SyntheticCorpus.Generate(new SyntheticOptions { Count = 60, Seed = 4 }).ToList();
        var written = CorpusWriter.Write(CorpusFormat.Glaive, conversations, temp.Combine("data", "chat.json"), new CorpusWriterOptions { InjectDefects = true, DefectRate = 0.3, Seed = 1 });
        Assert.IsTrue(written.Defects.Count > 0);
        string Recipe(double tolerance) => $"""
            sources:
              - name: chat
                format: glaive
                path: data/chat.json
                tolerance: {tolerance}
            sequence:
              length: 1024
            """;

        var lenient = RecipeLoader.Load(temp.WriteFile("a.recipe.yaml", Recipe(1.0))).Recipe!;
        var manifest = RecipeCompiler.Compile(lenient, temp.Combine("a")).Manifest;
        var source = manifest.Statistics.Sources.Single();
        Assert.IsTrue(source.Rejected > 0 && source.Repaired > 0, $"rejected {source.Rejected}, repaired {source.Repaired}");
        {
            var lines = File.ReadAllLines(temp.Combine("a", source.Quarantine!));
            Assert.AreEqual(source.Rejected, lines.Length);
            StringAssert.Contains(lines[0], "\"reason\"");
            StringAssert.Contains(lines[0], "data/chat.json");

            var strict = RecipeLoader.Load(temp.WriteFile("b.recipe.yaml", Recipe(0.0))).Recipe!;
            var error = Assert.ThrowsExactly<DiagnosticException>(() => RecipeCompiler.Compile(strict, temp.Combine("b")));
            Assert.AreEqual(DiagnosticCodes.SourceOverTolerance, error.Diagnostics.Single().Code);
            Assert.IsFalse(File.Exists(temp.Combine("b", "manifest.json")));
        }
    }
}
