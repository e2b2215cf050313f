using System.Text.RegularExpressions;
using AgentFlan.Diagnostics;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Diagnostics;

[TestClass]
public sealed partial class DiagnosticCodesTests
{
    [TestMethod]
    public void Every_code_is_unique_well_formed_and_documented()
    {
        var codes = typeof(DiagnosticCodes).GetFields()
            .Concat(typeof(AgentFlan.Readers.ReaderCodes).GetFields())
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        CollectionAssert.AllItemsAreUnique(codes);
        Assert.IsTrue(codes.All(c => CodePattern().IsMatch(c)), string.Join(", ", codes));
        CollectionAssert.AreEquivalent(codes, DiagnosticCodes.Titles.Keys.ToList());

        var documented = File.ReadAllText(RepositoryPaths.Combine("docs", "diagnostics.md"));
        foreach (var code in codes)
        {
            StringAssert.Contains(documented, $"| {code} |", $"{code} is missing from docs/diagnostics.md");
        }
    }

    [TestMethod]
    public void Canonical_format_is_what_MSBuild_and_IDEs_parse()
    {
        Assert.AreEqual("r.yaml(3,5): error AFB0002: bad", Diagnostic.Error("AFB0002", "bad", "r.yaml", 3, 5).ToString());
        Assert.AreEqual("r.yaml(3): warning AFB0002: bad", Diagnostic.Warning("AFB0002", "bad", "r.yaml", 3).ToString());
        Assert.AreEqual("agentflan: error AFB9001: bad", Diagnostic.Error("AFB9001", "bad").ToString());
    }

    [GeneratedRegex("^AFB[0-9]{4}$")]
    private static partial Regex CodePattern();
}
