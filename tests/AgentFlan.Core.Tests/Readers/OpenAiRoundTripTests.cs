using System.Text.Json.Nodes;
using AgentFlan.Readers;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Readers;

[TestClass]
public sealed class OpenAiRoundTripTests
{
    [TestMethod]
    public void ReadingAnOpenAiFileAndWritingItBack_IsLossless()
    {
        using var temp = new TempDirectory();
        var conversations = Fixtures.Read("openai", "openai_clean.jsonl").Cast<AcceptedRecord>().Select(r => r.Conversation).ToList();
        var written = temp.Combine("out.jsonl");

        Assert.AreEqual(3, OpenAiMessagesWriter.WriteFile(written, conversations));

        var original = File.ReadAllLines(Fixtures.Path("openai_clean.jsonl"));
        var copy = File.ReadAllLines(written);
        Assert.HasCount(original.Length, copy);
        for (var i = 0; i < original.Length; i++)
        {
            Assert.IsTrue(JsonNode.DeepEquals(Normalize(JsonNode.Parse(original[i])!), Normalize(JsonNode.Parse(copy[i])!)), $"line {i + 1}:\n{original[i]}\n{copy[i]}");
        }
    }

    [TestMethod]
    public void EveryFormat_SurvivesOpenAiExport_AsTheSameCanonicalConversation()
    {
        using var temp = new TempDirectory();
        foreach (var (format, fixture) in new[] { ("agentinstruct", "agentinstruct.jsonl"), ("toolbench", "toolbench"), ("glaive", "glaive.json"), ("sharegpt", "sharegpt.json"), ("toolllama", "toolllama.json") })
        {
            var before = Fixtures.Read(format, fixture).OfType<AcceptedRecord>().ToList();
            var file = temp.Combine($"{format}.jsonl");
            OpenAiMessagesWriter.WriteFile(file, before.Select(r => r.Conversation));

            var after = SourceReaders.Find("openai")!.Read(file, "fixture", CancellationToken.None).Cast<AcceptedRecord>().ToList();

            Assert.HasCount(before.Count, after, format);
            for (var i = 0; i < before.Count; i++)
            {
                Assert.AreEqual(Dump(before[i]), Dump(after[i]), $"{format} #{i}");
            }
        }
    }

    /// <summary>The canonical messages and tools, without provenance and kind (which OpenAI files do not carry).</summary>
    private static string Dump(AcceptedRecord record)
    {
        var canonical = CanonicalJson.Serialize([new AcceptedRecord(record.Conversation with { Provenance = new("x", Fixtures.Path("x")) })], Fixtures.Directory);
        var node = JsonNode.Parse(canonical)!.AsArray()[0]!.AsObject();
        node.Remove("kind");
        return node.ToJsonString();
    }

    /// <summary>Tool-call arguments compared as JSON, not as text (the writer writes them compactly).</summary>
    private static JsonNode Normalize(JsonNode line)
    {
        foreach (var message in line["messages"]!.AsArray())
        {
            foreach (var call in message!["tool_calls"]?.AsArray() ?? [])
            {
                var function = call!["function"]!;
                function["arguments"] = JsonNode.Parse(function["arguments"]!.GetValue<string>());
            }
        }

        return line;
    }
}
