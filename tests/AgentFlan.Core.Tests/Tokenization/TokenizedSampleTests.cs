using AgentFlan.Conversations;
using AgentFlan.Tokenization;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class TokenizedSampleTests
{
    [TestMethod]
    public void The_supervised_count_follows_the_loss_mask_through_copies()
    {
        var sample = new TokenizedSample("s", ConversationKind.AgentChat, [1, 2, 3, 4], [0, 1, 1, 0], [Capability.None, Capability.Retrieval, Capability.Retrieval, Capability.None]);
        Assert.AreEqual(2, sample.SupervisedCount);

        var sliced = sample with { Tokens = [2, 3, 4], Loss = [1, 0, 0], Capabilities = [Capability.Retrieval, Capability.Retrieval, Capability.None] };

        Assert.AreEqual(1, sliced.SupervisedCount);
        Assert.AreEqual(2, sample.SupervisedCount);
    }
}
