using AgentFlan.Conversations;
using AgentFlan.Readers;
using AgentFlan.Synthetic;
using AgentFlan.TestUtilities;
using AgentFlan.Writers;

namespace AgentFlan.Core.Tests.Readers;

/// <summary>
/// Every reader on what the generator writes in its format: clean files read back whole (the user's words,
/// the calls and the answers), and each injected defect meets the fate the writer expects of a robust reader.
/// </summary>
[TestClass]
public sealed class GeneratedCorpusTests
{
    private static readonly List<Conversation> Corpus = [.. SyntheticCorpus.Generate(new SyntheticOptions { Count = 150, Seed = 5 })];

    public static IEnumerable<object[]> Formats => CorpusWriter.FormatNames.Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void Clean_files_read_back_with_the_same_requests_calls_and_answers(string format)
    {
        using var temp = new TempDirectory();
        var results = WriteAndRead(format, temp, options: null);

        Assert.AreEqual(Corpus.Count, results.Count);
        foreach (var (index, result) in results)
        {
            var original = Corpus[index];
            var accepted = result as AcceptedRecord ?? throw new AssertFailedException($"{format} record {index} ({original.Id}) was rejected: {((RejectedRecord)result).Code} {((RejectedRecord)result).Reason}");
            var read = accepted.Conversation;
            Assert.AreEqual(FirstUser(original), FirstUser(read), $"{format} record {index}: the first user turn");
            CollectionAssert.AreEqual(Calls(original), Calls(read), $"{format} record {index}: the calls");
            Assert.AreEqual(original.Messages[^1].Content, read.Messages[^1].Content, $"{format} record {index}: the last message");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Formats))]
    public void Injected_defects_meet_their_expected_fate(string format)
    {
        using var temp = new TempDirectory();
        var options = new CorpusWriterOptions { InjectDefects = true, DefectRate = 0.3, Seed = 5 };
        var written = new List<InjectedDefect>();
        var results = WriteAndRead(format, temp, options, written);

        Assert.IsTrue(written.Count > 0);
        foreach (var defect in written)
        {
            Assert.IsTrue(results.TryGetValue(defect.Index, out var result), $"{format} {defect.Defect} at {defect.Location}: no result");
            var fate = result switch
            {
                RejectedRecord => DefectInjector.Reject,
                AcceptedRecord { IsRepaired: true } => DefectInjector.Repair,
                _ => DefectInjector.Accept,
            };
            Assert.AreEqual(defect.Expected, fate, $"{format} {defect.Defect} at {defect.Location}: {(result as RejectedRecord)?.Reason}");
        }
    }

    private static Dictionary<int, ReadResult> WriteAndRead(string format, TempDirectory temp, CorpusWriterOptions? options, List<InjectedDefect>? defects = null)
    {
        Assert.IsTrue(CorpusWriter.TryParseFormat(format, out var corpusFormat));
        var path = temp.Combine(CorpusWriter.DefaultFileName(corpusFormat));
        var written = CorpusWriter.Write(corpusFormat, Corpus, path, options);
        defects?.AddRange(written.Defects);
        var results = new Dictionary<int, ReadResult>();
        foreach (var result in SourceReaders.Find(format)!.Read(path, "generated", CancellationToken.None))
        {
            var where = result switch
            {
                AcceptedRecord accepted => accepted.Conversation.Provenance,
                RejectedRecord rejected => rejected.Where,
                _ => throw new InvalidOperationException(),
            };
            var index = where.Index >= 0 ? where.Index
                : corpusFormat == CorpusFormat.ToolBench ? int.Parse(Path.GetFileName(where.File)!.Split('_')[0], System.Globalization.CultureInfo.InvariantCulture)
                : where.Line - 1;
            Assert.IsTrue(results.TryAdd(index, result), $"{format}: two results for record {index}");
        }

        return results;
    }

    private static string? FirstUser(Conversation conversation) => conversation.Messages.FirstOrDefault(m => m.Role == Role.User)?.Content;

    private static List<string> Calls(Conversation conversation) =>
        [.. conversation.Messages.SelectMany(m => m.ToolCalls).Select(c => $"{c.Name} {c.Arguments.ToJsonString()}")];
}
