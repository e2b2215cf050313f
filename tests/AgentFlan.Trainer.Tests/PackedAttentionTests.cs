using AgentFlan.Shards;
using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Models;
using AgentFlan.Trainer.Training;
using AgentFlan.Training;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class PackedAttentionTests
{
    private const int Length = 24;
    private static readonly int[] DocumentA = [5, 6, 7, 8, 9, 10, 11];
    private static readonly int[] DocumentB = [12, 5, 13, 7, 14, 6, 15, 9, 3];

    [TestMethod]
    public void A_packed_row_gives_the_same_per_token_loss_as_its_documents_in_separate_rows()
    {
        var vocabulary = TokenVocabulary.Full(20, 3);
        manual_seed(11);
        using var model = new LlamaForCausalLM(LlamaConfig.FromSettings(new ModelSettings { Layers = 2, Dim = 32, Heads = 4, KvHeads = 2 }, 20, Length, 3));
        model.eval();

        var packed = PackedBatch.Create([Row((0, DocumentA), (DocumentA.Length, DocumentB))], vocabulary);
        var separate = PackedBatch.Create([Row((0, DocumentA)), Row((0, DocumentB))], vocabulary);
        Assert.AreEqual(DocumentA.Length - 2 + DocumentB.Length - 2, packed.SupervisedTokens, "no target crosses a document boundary");
        Assert.AreEqual(packed.SupervisedTokens, separate.SupervisedTokens);

        var packedLosses = PerToken(model, packed);
        var separateLosses = PerToken(model, separate);

        for (int i = 0; i < packedLosses.Length; i++)
        {
            Assert.AreEqual(separateLosses[i], packedLosses[i], 1e-5, $"supervised token {i}");
        }
    }

    [TestMethod]
    public void Positions_restart_and_padding_only_sees_itself()
    {
        var batch = PackedBatch.Create([Row((0, DocumentA), (DocumentA.Length, DocumentB))], TokenVocabulary.Full(20, 3));

        Assert.AreEqual(0, batch.Positions[DocumentA.Length]);
        Assert.AreEqual(DocumentB.Length - 1, batch.Positions[DocumentA.Length + DocumentB.Length - 1]);
        using var scope = NewDisposeScope();
        var mask = batch.ToTensors(CPU).Mask;
        int padding = Length - 1;
        Assert.AreEqual(1, mask[0, 0, padding].sum().item<long>(), "a padding token attends to itself only");
        Assert.IsFalse(mask[0, 0, DocumentA.Length, DocumentA.Length - 1].item<bool>(), "B's first token cannot see A");
        Assert.IsTrue(mask[0, 0, DocumentA.Length + 1, DocumentA.Length].item<bool>());
    }

    private static float[] PerToken(LlamaForCausalLM model, PackedBatch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return NextTokenLoss.PerToken(model, batch.ToTensors(CPU)).data<float>().ToArray();
    }

    /// <summary>A row of <see cref="Length"/> tokens holding the given documents; the first two tokens of each are prompt.</summary>
    private static PackedRow Row(params (int Start, int[] Tokens)[] documents)
    {
        var tokens = Enumerable.Repeat(3, Length).ToArray();
        var loss = new byte[Length];
        foreach (var (start, document) in documents)
        {
            for (int i = 0; i < document.Length; i++)
            {
                tokens[start + i] = document[i];
                loss[start + i] = i >= 2 ? (byte)1 : (byte)0;
            }
        }

        return new PackedRow(tokens, loss, [.. documents.Select(d => (d.Start, d.Tokens.Length, 0))]);
    }
}
