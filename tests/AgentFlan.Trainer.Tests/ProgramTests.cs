using AgentFlan.Shards;
using AgentFlan.TestUtilities;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public sealed class ProgramTests
{
    [TestMethod]
    public void A_missing_manifest_is_AFB5003_naming_the_path()
    {
        using var temp = new TempDirectory();
        var manifest = temp.Combine("nowhere", "manifest.json");
        var job = temp.WriteFile("job.json", TinyDataset.Job(manifest, temp.Combine("out")).ToJson());
        temp.WriteFile(Path.Combine("out", "summary.json"), "{}"); // from an earlier, successful run

        var (exit, stdout, stderr) = Run("train", "--job", job);

        Assert.AreEqual(5, exit, stdout + stderr);
        StringAssert.StartsWith(stderr, $"{job}: error AFB5003: ");
        StringAssert.Contains(stderr, manifest);
        Assert.IsFalse(File.Exists(temp.Combine("out", "summary.json")), "a failed run leaves no summary");
    }

    [TestMethod]
    public void A_missing_shard_is_AFB5003_naming_the_shard()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        var shard = Directory.GetFiles(temp.Combine("data"), "*" + ShardFormat.Extension).Single();
        File.Delete(shard);
        var job = temp.WriteFile("job.json", TinyDataset.Job(manifest, temp.Combine("out")).ToJson());

        var (exit, _, stderr) = Run("train", "--job", job);

        Assert.AreEqual(5, exit, stderr);
        StringAssert.StartsWith(stderr, $"{job}: error AFB5003: The shard file '{shard}'");
    }

    [TestMethod]
    public void A_missing_mask_file_is_AFB5003_naming_it()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        var mask = Directory.GetFiles(temp.Combine("data"), "*" + ShardFormat.MaskExtension).Single();
        File.Delete(mask);
        var job = temp.WriteFile("job.json", TinyDataset.Job(manifest, temp.Combine("out")).ToJson());

        var (exit, _, stderr) = Run("train", "--job", job);

        Assert.AreEqual(5, exit, stderr);
        StringAssert.StartsWith(stderr, $"{job}: error AFB5003: The shard file '{mask}'");
    }

    [TestMethod]
    public void A_diverging_run_is_AFB5002_and_leaves_no_summary()
    {
        using var temp = new TempDirectory();
        var manifest = TinyDataset.Write(temp.Path);
        var valid = TinyDataset.Job(manifest, temp.Combine("out"), steps: 6);
        var job = temp.WriteFile("job.json", (valid with
        {
            Training = valid.Training with { LearningRate = 1e30, MinLearningRate = 0, WarmupSteps = 0, GradientClip = 0 },
        }).ToJson());

        var (exit, stdout, stderr) = Run("train", "--job", job);

        Assert.AreEqual(4, exit, stdout + stderr);
        StringAssert.StartsWith(stderr, $"{job}: error AFB5002: Training diverged at step ");
        Assert.IsFalse(File.Exists(temp.Combine("out", "summary.json")));
        Assert.IsFalse(Directory.Exists(temp.Combine("out", "checkpoint")));
    }

    [TestMethod]
    public void Bad_arguments_print_usage_and_exit_2()
    {
        var (exit, _, stderr) = Run("train", "job.json");

        Assert.AreEqual(2, exit);
        StringAssert.StartsWith(stderr, "usage: AgentFlan.Trainer train --job <job.json>");
    }

    [TestMethod]
    public void Every_invalid_setting_is_reported_at_once_as_AFB5001()
    {
        using var temp = new TempDirectory();
        var valid = TinyDataset.Job(temp.Combine("manifest.json"), temp.Combine("out"));
        var job = temp.WriteFile("job.json", (valid with
        {
            Model = valid.Model with { KvHeads = 3 },
            Training = valid.Training with { Steps = 0, Schedule = "linear" },
        }).ToJson());

        var (exit, _, stderr) = Run("train", "--job", job);

        Assert.AreEqual(3, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(3, lines, stderr);
        Assert.IsTrue(lines.All(l => l.StartsWith($"{job}: error AFB5001: ", StringComparison.Ordinal)), stderr);
    }

    [TestMethod]
    public void A_huggingface_model_needs_the_full_vocabulary_and_an_existing_folder()
    {
        using var temp = new TempDirectory();
        var valid = TinyDataset.Job(temp.Combine("manifest.json"), temp.Combine("out"));
        var compact = temp.WriteFile("compact.json", (valid with { Model = valid.Model with { Kind = "huggingface", Path = "/models/llama" } }).ToJson());
        var missing = temp.WriteFile("missing.json", (valid with { Model = valid.Model with { Kind = "huggingface", Path = temp.Combine("nowhere"), Vocabulary = "full" } }).ToJson());

        var (exit, _, stderr) = Run("train", "--job", compact);
        var (missingExit, _, missingStderr) = Run("train", "--job", missing);

        Assert.AreEqual(3, exit);
        StringAssert.Contains(stderr, "error AFB5001: Invalid training job: model.vocabulary must be 'full'");
        Assert.AreEqual(6, missingExit, missingStderr);
        StringAssert.Contains(missingStderr, "error AFB5004: ");
        StringAssert.Contains(missingStderr, "config.json");
    }

    [TestMethod]
    public void A_malformed_job_file_is_AFB5001_with_its_line()
    {
        using var temp = new TempDirectory();
        var job = temp.WriteFile("job.json", "{\n  \"recipe\": \"x\",\n  \"seed\": oops\n}\n");

        var (exit, _, stderr) = Run("train", "--job", job);

        Assert.AreEqual(3, exit);
        StringAssert.StartsWith(stderr, $"{job}(3,");
        StringAssert.Contains(stderr, "error AFB5001:");
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
