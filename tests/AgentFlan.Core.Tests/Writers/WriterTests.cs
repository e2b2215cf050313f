using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFlan.Conversations;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Writers;

[TestClass]
public sealed partial class WriterTests
{
    private static readonly List<Conversation> Corpus = SyntheticCorpus.Generate(new SyntheticOptions { Count = 300, Seed = 8 }).ToList();

    public static IEnumerable<object[]> Formats => Enum.GetValues<CorpusFormat>().Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void SameSeedGivesTheSameBytes(CorpusFormat format)
    {
        using var temp = new TempDirectory();
        var options = new SyntheticOptions { Count = 120, Seed = 99 };

        CorpusWriter.Write(format, SyntheticCorpus.Generate(options), temp.Combine("a", "out"));
        CorpusWriter.Write(format, SyntheticCorpus.Generate(options), temp.Combine("b", "out"));

        CollectionAssert.AreEqual(ReadAll(temp.Combine("a", "out")), ReadAll(temp.Combine("b", "out")));
    }

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void EveryRecordParsesAndKeepsEveryCall(CorpusFormat format)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine(CorpusWriter.DefaultFileName(format));

        var result = CorpusWriter.Write(format, Corpus, path);
        var records = Records(format, path);

        Assert.AreEqual(Corpus.Count, result.Records);
        Assert.AreEqual(Corpus.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var expected = Corpus[i].Messages.Sum(m => m.ToolCalls.Count);
            Assert.AreEqual(expected, CountCalls(format, records[i]), $"{format} record {i} ({Corpus[i].Id})");
        }
    }

    [TestMethod]
    public void GlaiveArgumentsAreSingleQuotedJsonEqualToTheCall()
    {
        var c = Corpus.First(c => c.Messages.Any(m => m.ToolCalls.Count > 0));
        var chat = CorpusWriter.BuildRecord(CorpusFormat.Glaive, c)["chat"]!.GetValue<string>();
        var match = GlaiveCall().Match(chat);

        Assert.IsTrue(match.Success, chat);
        var call = c.Messages.First(m => m.ToolCalls.Count > 0).ToolCalls[0];
        Assert.AreEqual(call.Name, match.Groups[1].Value);
        Assert.IsTrue(JsonNode.DeepEquals(call.Arguments, JsonNode.Parse(match.Groups[2].Value)));
    }

    [TestMethod]
    public void ToolBenchWritesOneAnswerFilePerConversationEndingInFinish()
    {
        using var temp = new TempDirectory();
        var folder = temp.Combine("answers");

        var result = CorpusWriter.Write(CorpusFormat.ToolBench, Corpus.Take(30), folder);

        Assert.AreEqual(30, Directory.GetFiles(folder, "*.json").Length);
        foreach (var file in result.Files)
        {
            var generation = JsonNode.Parse(File.ReadAllText(file))!["answer_generation"]!;
            var trajectories = generation["train_messages"]!.AsArray();
            var last = trajectories[^1]!.AsArray()[^1]!;
            Assert.AreEqual("Finish", last["function_call"]!["name"]!.GetValue<string>());
            Assert.AreEqual("give_answer", JsonNode.Parse(generation["final_answer"]!.GetValue<string>())!["return_type"]!.GetValue<string>());
            Assert.IsTrue(trajectories.Zip(trajectories.Skip(1)).All(p => p.First!.AsArray().Count < p.Second!.AsArray().Count));
        }
    }

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void DefectsAreInjectedDeterministicallyAndRecorded(CorpusFormat format)
    {
        using var temp = new TempDirectory();
        var options = new CorpusWriterOptions { InjectDefects = true, DefectRate = 0.3, Seed = 4 };
        var path = temp.Combine(CorpusWriter.DefaultFileName(format));

        var first = CorpusWriter.Write(format, Corpus, path, options);
        var second = CorpusWriter.Write(format, Corpus, temp.Combine("again", CorpusWriter.DefaultFileName(format)), options);

        CollectionAssert.AreEqual(first.Defects.ToList(), second.Defects.ToList());
        Assert.AreEqual(0.3, first.Defects.Count / (double)Corpus.Count, 0.1);
        Assert.IsTrue(first.Defects.All(d => d.Expected is "repair" or "reject" or "accept"));
        Assert.IsTrue(first.Defects.Select(d => d.Defect).Distinct().Count() >= 2, string.Join(",", first.Defects.Select(d => d.Defect)));
        var listed = File.ReadAllLines(Path.TrimEndingDirectorySeparator(path) + ".defects.jsonl");
        Assert.AreEqual(first.Defects.Count, listed.Length);

        // A damaged record differs from its clean rendering; an undamaged one does not.
        var clean = temp.Combine("clean", CorpusWriter.DefaultFileName(format));
        CorpusWriter.Write(format, Corpus, clean);
        var damaged = first.Defects.Select(d => d.Index).ToHashSet();
        var cleanTexts = RawRecords(format, clean);
        var dirtyTexts = RawRecords(format, path);
        for (var i = 0; i < Corpus.Count; i++)
        {
            Assert.AreEqual(!damaged.Contains(i), cleanTexts[i] == dirtyTexts[i], $"{format} record {i}");
        }
    }

    [TestMethod]
    public void NoDefectsUnlessAsked()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("x.jsonl");

        var result = CorpusWriter.Write(CorpusFormat.OpenAi, Corpus, path);

        Assert.AreEqual(0, result.Defects.Count);
        Assert.IsFalse(File.Exists(path + ".defects.jsonl"));
    }

    [TestMethod]
    public void FormatNamesRoundTrip()
    {
        foreach (var format in Enum.GetValues<CorpusFormat>())
        {
            Assert.IsTrue(CorpusWriter.TryParseFormat(CorpusWriter.FormatName(format), out var parsed));
            Assert.AreEqual(format, parsed);
        }

        Assert.IsTrue(CorpusWriter.TryParseFormat("Agent-FLAN", out var agentFlan));
        Assert.AreEqual(CorpusFormat.AgentFlan, agentFlan);
        Assert.IsFalse(CorpusWriter.TryParseFormat("yaml", out _));
    }

    internal static List<byte[]> ReadAll(string path) =>
        Directory.Exists(path)
            ? Directory.GetFiles(path).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
            : [File.ReadAllBytes(path)];

    /// <summary>Each record's text as written: a line, an array element, or a whole answer file.</summary>
    private static List<string> RawRecords(CorpusFormat format, string path) => format switch
    {
        CorpusFormat.AgentFlan or CorpusFormat.AgentInstruct or CorpusFormat.OpenAi => File.ReadAllLines(path).ToList(),
        CorpusFormat.ToolBench => Enumerable.Range(0, Directory.GetFiles(path).Length)
            .Select(i => File.ReadAllText(Path.Combine(path, $"{i}_ChatGPT_DFS_woFilter_w2.json"))).ToList(),
        _ => JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(n => n!.ToJsonString()).ToList(),
    };

    private static List<JsonObject> Records(CorpusFormat format, string path) =>
        RawRecords(format, path).Select(t => JsonNode.Parse(t)!.AsObject()).ToList();

    private static int CountCalls(CorpusFormat format, JsonObject record) => format switch
    {
        CorpusFormat.OpenAi => record["messages"]!.AsArray().Sum(m => m!["tool_calls"]?.AsArray().Count ?? 0),
        CorpusFormat.AgentFlan => record["conversation"]!.AsArray().Where(t => t!["role"]!.GetValue<string>() == "assistant").Sum(t => Count(t!["content"], "\nAction: ")),
        CorpusFormat.AgentInstruct => record["conversations"]!.AsArray().Where(t => t!["from"]!.GetValue<string>() == "gpt").Sum(t => Count(t!["value"], "\nAction: ")),
        CorpusFormat.ToolLlama => record["conversations"]!.AsArray().Where(t => t!["from"]!.GetValue<string>() == "assistant")
            .Sum(t => Count(t!["value"], "\nAction: ") - Count(t!["value"], "\nAction: Finish")),
        CorpusFormat.ShareGpt => record["conversations"]!.AsArray().Count(t => t!["from"]!.GetValue<string>() == "function_call"),
        CorpusFormat.Glaive => Count(record["chat"], "<functioncall>"),
        _ => record["answer_generation"]!["train_messages"]!.AsArray()[^1]!.AsArray()
            .Count(m => m!["function_call"] is JsonObject call && call["name"]!.GetValue<string>() != "Finish"),
    };

    private static int Count(JsonNode? text, string needle) => Regex.Count(text?.GetValue<string>() ?? string.Empty, Regex.Escape(needle));

    [GeneratedRegex("<functioncall> \\{\"name\": \"([^\"]+)\", \"arguments\": '(.*?)'\\}")]
    private static partial Regex GlaiveCall();
}
