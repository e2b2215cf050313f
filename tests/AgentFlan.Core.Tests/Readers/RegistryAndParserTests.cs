using System.Text.Json.Nodes;
using AgentFlan.Readers;
using AgentFlan.Readers.Text;

namespace AgentFlan.Core.Tests.Readers;

[TestClass]
public sealed class RegistryAndParserTests
{
    [TestMethod]
    public void Registry_KnowsEveryFormat_CaseInsensitively()
    {
        CollectionAssert.AreEqual(
            new[] { "agentflan", "agentinstruct", "toolbench", "toolllama", "glaive", "sharegpt", "openai" },
            SourceReaders.Formats.ToArray());
        foreach (var format in SourceReaders.Formats)
        {
            Assert.AreEqual(format, SourceReaders.Find(format.ToUpperInvariant())!.Format);
        }

        Assert.IsNull(SourceReaders.Find("alpaca"));
    }

    [TestMethod]
    public void ReaderCodes_AreUniqueAndTitled()
    {
        var codes = typeof(ReaderCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.HasCount(codes.Count, codes.Distinct());
        foreach (var code in codes)
        {
            Assert.IsTrue(ReaderCodes.Titles.ContainsKey(code), code);
            Assert.MatchesRegex("^AFB1[0-9]{3}$", code);
        }
    }

    [TestMethod]
    public void PythonLiteral_ReadsReprOutput()
    {
        var node = PythonLiteral.TryParse("""[{'a': "it's", 'b': (1, -2.5, None), 'c': True, 'd': 'tab\there\u00e9', 'e': {}}, []]""", out var ok);

        Assert.IsTrue(ok);
        Assert.AreEqual("""[{"a":"it\u0027s","b":[1,-2.5,null],"c":true,"d":"tab\there\u00E9","e":{}},[]]""", node!.ToJsonString());
    }

    [TestMethod]
    [DataRow("[1, 2")]
    [DataRow("{'a' 1}")]
    [DataRow("[inf]")]
    [DataRow("[1] tail")]
    public void PythonLiteral_RejectsWhatIsNotALiteral(string text)
    {
        PythonLiteral.TryParse(text, out var ok);

        Assert.IsFalse(ok);
    }

    [TestMethod]
    public void ReActStep_SplitsThoughtActionAndInput()
    {
        var step = ReActStep.TryParse("\nThought: I need data.\nAction: fetch_for_api\nAction Input: {\n  \"q\": 1\n}")!;

        Assert.AreEqual("I need data.", step.Thought);
        Assert.AreEqual("fetch_for_api", step.Action);
        Assert.AreEqual(1, (int)JsonNode.Parse(step.Input!)!["q"]!);
        Assert.IsNull(ReActStep.TryParse("Just prose, no action here."));
        Assert.IsNull(ReActStep.TryParse("Action: go")!.Thought);
    }
}
