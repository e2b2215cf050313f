using AgentFlan.TestUtilities;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Recipes;
using AgentFlan.Trainer.Training;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class ResumeTests
{
    [TestMethod]
    [DataRow("full")]
    [DataRow("lora")]
    public void A_killed_run_resumes_and_logs_the_losses_of_an_unbroken_run(string method)
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        var job = WithMethod(TinyDataset.Job(manifest, temp.Combine("unbroken"), steps: 9) with { }, method);
        job = job with { Training = job.Training with { LogEvery = 1 } };
        var unbroken = Train(job, temp.Combine("job.json"));

        var killedJob = job with { OutputDirectory = temp.Combine("killed") };
        var killed = Train(killedJob, temp.Combine("job.json"), stopAfter: 5);
        // A kill can also tear the last metrics line.
        File.AppendAllText(Path.Combine(killedJob.OutputDirectory, Finetune.MetricsFile), "{\"step\":6,\"lo");
        using var resumed = new Finetune(killedJob, temp.Combine("job.json"), TextWriter.Null) { CheckpointEvery = 3 };
        resumed.Setup();
        resumed.Train();

        Assert.HasCount(5, killed);
        Assert.AreEqual(3, resumed.StartStep, "the latest complete resume point is after step 3");
        CollectionAssert.AreEqual(unbroken, resumed.Losses.ToArray(), "bit-identical losses on CPU");
        CollectionAssert.AreEqual(
            MetricLosses(job.OutputDirectory),
            MetricLosses(killedJob.OutputDirectory),
            "metrics.jsonl holds each step once, with the same loss");
    }

    [TestMethod]
    public void A_changed_job_starts_over_and_drops_the_old_resume_points()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        var job = TinyDataset.Job(manifest, temp.Combine("out"), steps: 6);
        Train(job, temp.Combine("job.json"), stopAfter: 4);

        var changed = job with { Training = job.Training with { LearningRate = 5e-3 } };
        using var recipe = new Finetune(changed, temp.Combine("job.json"), TextWriter.Null) { CheckpointEvery = 3 };
        recipe.Setup();

        Assert.AreEqual(0, recipe.StartStep);
        Assert.IsFalse(Directory.Exists(Path.Combine(job.OutputDirectory, ResumeStore.FolderName)));
        Assert.IsFalse(File.Exists(Path.Combine(job.OutputDirectory, Finetune.MetricsFile)));
    }

    [TestMethod]
    public void Epochs_set_the_number_of_steps_from_rows_batch_and_accumulation()
    {
        var settings = new TrainingSettings { Steps = 999, Epochs = 2, BatchSize = 4, GradientAccumulation = 2 };

        Assert.AreEqual(4, TrainingPlan.Steps(settings, rows: 16));
        Assert.AreEqual(5, TrainingPlan.Steps(settings, rows: 17), "a partial last step still counts");
        Assert.AreEqual(2, TrainingPlan.Steps(settings with { Epochs = 0.5 }, rows: 30));
        Assert.AreEqual(999, TrainingPlan.Steps(settings with { Epochs = 0 }, rows: 16));

        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path, rows: 16);
        var job = TinyDataset.Job(manifest, temp.Combine("out"), steps: 100);
        var summary = Finetune.Run(job with { Training = job.Training with { Epochs = 1.5 } }, temp.Combine("job.json"), TextWriter.Null);

        Assert.AreEqual(6, summary.Steps, "1.5 passes over 16 rows in steps of 4 rows");
    }

    internal static TrainingJob WithMethod(TrainingJob job, string method) => job with
    {
        Training = job.Training with
        {
            Method = method,
            Lora = new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0.1, Targets = ["q_proj", "v_proj", "down_proj"] },
        },
    };

    private static double[] Train(TrainingJob job, string jobPath, int? stopAfter = null)
    {
        using var recipe = new Finetune(job, jobPath, TextWriter.Null) { CheckpointEvery = 3, StopAfterStep = stopAfter };
        recipe.Setup();
        recipe.Train();
        return [.. recipe.Losses];
    }

    private static string[] MetricLosses(string output) =>
        [.. File.ReadAllLines(Path.Combine(output, Finetune.MetricsFile)).Select(line => line[..line.IndexOf(",\"lr\"", StringComparison.Ordinal)])];
}
