using AgentFlan.TestUtilities;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Generation;
using AgentFlan.Trainer.Recipes;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests.Evaluation;

[TestClass]
public sealed class TrainedGenerationTests
{
    [TestMethod]
    public void A_model_trained_to_count_continues_each_prompt_by_counting_from_its_last_token()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path, rows: 32);
        using var progress = new StringWriter();
        Finetune.Run(TinyDataset.Job(manifest, temp.Combine("out"), steps: 80), temp.Combine("job.json"), progress);
        var (model, vocabulary) = CheckpointStore.Load(Path.Combine(temp.Combine("out"), CheckpointStore.FolderName));
        using var disposeModel = model;

        // Prompts of different lengths in one left-padded batch; answers count upward (mod 40) from the last token.
        int[][] prompts = [[105, 130, 112], [121, 103], [139, 117, 108, 126], [110, 111]];
        var generated = new GreedyGenerator(model, CPU).Generate(
            [.. prompts.Select(p => p.Select(vocabulary.ToModel).ToArray())], maxNewTokens: 3);

        int right = 0;
        for (int b = 0; b < prompts.Length; b++)
        {
            var tokens = generated[b].Tokens.Select(vocabulary.ToTokenizer).ToArray();
            int expected = 100 + ((prompts[b][^1] - 100 + 1) % 40);
            right += tokens.Length > 0 && tokens[0] == expected ? 1 : 0;
        }

        Assert.IsGreaterThanOrEqualTo(3, right, progress.ToString());
    }
}
