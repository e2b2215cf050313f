using AgentFlan.Readers;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Readers;

[TestClass]
public sealed class ToolSpecSharingTests
{
    private const string Tool = """{"type": "function", "function": {"name": "get_weather", "description": "Weather.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}""";
    private const string Broken = """{"type": "function", "function": {"description": "no name"}}""";

    [TestMethod]
    public void Records_offering_the_same_spec_share_one_instance_and_a_broken_spec_is_rejected_every_time()
    {
        using var temp = new TempDirectory();
        var file = temp.WriteFile("tools.jsonl", string.Join('\n',
            Record(1, Tool),
            Record(2, Tool),
            Record(3, Broken),
            Record(4, Broken),
            Record(5, Tool.Replace("Weather.", "Other weather.", StringComparison.Ordinal))));

        var results = SourceReaders.Find("openai")!.Read(file, "s", CancellationToken.None).ToList();

        var accepted = results.OfType<AcceptedRecord>().Select(r => r.Conversation.Tools.Single()).ToList();
        Assert.HasCount(3, accepted);
        Assert.AreSame(accepted[0], accepted[1]);
        Assert.AreNotSame(accepted[0], accepted[2]);
        Assert.AreEqual("Other weather.", accepted[2].Description);
        var rejected = results.OfType<RejectedRecord>().ToList();
        CollectionAssert.AreEqual(new[] { 3, 4 }, rejected.Select(r => r.Where.Line).ToArray());
        Assert.IsTrue(rejected.All(r => r.Code == ReaderCodes.InvalidToolSpec));
    }

    private static string Record(int id, string tool) =>
        $$"""{"id": "r{{id}}", "tools": [{{tool}}], "messages": [{"role": "user", "content": "Weather?"}, {"role": "assistant", "content": "Sunny."}]}""";
}
