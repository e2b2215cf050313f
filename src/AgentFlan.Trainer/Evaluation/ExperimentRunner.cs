using System.Diagnostics;
using System.Globalization;
using AgentFlan.Charts;
using AgentFlan.Evaluation;
using AgentFlan.IO;
using AgentFlan.Trainer.Recipes;
using AgentFlan.Training;

namespace AgentFlan.Trainer.Evaluation;

/// <summary>
/// Trains and evaluates every (recipe, seed) of a plan, then writes comparison.md (and comparison.png, a bar chart)
/// in the plan's output folder. A run whose jobs are unchanged since it last finished is reused, so adding a seed
/// or a recipe runs only what is new. The compiled data is the recipes' own (shared by every seed).
/// </summary>
public static class ExperimentRunner
{
    public const string ComparisonFile = "comparison.md";
    public const string ChartFile = ExperimentChart.Name + ".png";
    private const string StampFile = "jobs.json";

    public static string Run(ExperimentPlan plan, string planPath, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(plan.OutputDirectory);
        Directory.CreateDirectory(output);
        File.Delete(Path.Combine(output, ComparisonFile));
        var runs = new List<(string Recipe, EvaluationResults Results)>();
        int total = plan.Runs.Count * plan.Seeds.Count, done = 0;
        foreach (var run in plan.Runs)
        {
            var trainJob = TrainingJob.FromJson(File.ReadAllText(run.TrainJob));
            var evalJob = EvaluationJob.FromJson(File.ReadAllText(run.EvaluationJob));
            foreach (var seed in plan.Seeds)
            {
                var folder = Path.Combine(output, run.Recipe, $"seed-{seed}");
                var train = trainJob with
                {
                    OutputDirectory = Path.Combine(folder, "run"),
                    Training = trainJob.Training with
                    {
                        Seed = seed,
                        Steps = plan.TrainingSteps > 0 ? plan.TrainingSteps : trainJob.Training.Steps,
                    },
                };
                var evaluate = evalJob with
                {
                    Checkpoint = Path.Combine(folder, "run", "checkpoint"),
                    OutputDirectory = Path.Combine(folder, "eval"),
                    Evaluation = evalJob.Evaluation with
                    {
                        Samples = plan.EvaluationSamples > 0 ? plan.EvaluationSamples : evalJob.Evaluation.Samples,
                    },
                };
                var stamp = train.ToJson() + evaluate.ToJson();
                var stampPath = Path.Combine(folder, StampFile);
                var resultsPath = Path.Combine(folder, "eval", EvaluationRunner.ResultsFile);
                done++;
                var started = clock.Elapsed;
                if (File.Exists(stampPath) && File.ReadAllText(stampPath) == stamp && File.Exists(resultsPath))
                {
                    progress.WriteLine($"experiment {done}/{total}: {run.Recipe} seed {seed} unchanged, rescoring its stored answers ({resultsPath})");
                    runs.Add((run.Recipe, EvaluationRunner.Rescore(evaluate, EvaluationResults.FromJson(File.ReadAllText(resultsPath)))));
                    continue;
                }

                progress.WriteLine($"experiment {done}/{total}: {run.Recipe} seed {seed}: training {train.Training.Steps} steps");
                progress.Flush();
                Directory.CreateDirectory(folder);
                File.Delete(stampPath);
                Finetune.Run(train, run.TrainJob, progress);
                var results = EvaluationRunner.Run(evaluate, run.EvaluationJob, progress);
                AtomicFile.WriteAllText(stampPath, stamp);
                runs.Add((run.Recipe, results));
                progress.WriteLine(FormattableString.Invariant($"experiment {done}/{total}: {run.Recipe} seed {seed} done in {(clock.Elapsed - started).TotalSeconds:F0} s"));
                progress.Flush();
            }
        }

        var heading = string.Create(CultureInfo.InvariantCulture,
            $"# Experiment: {string.Join(", ", plan.Runs.Select(r => r.Recipe))}\n\nProduced by `dotnet build -t:Experiment` in {clock.Elapsed.TotalMinutes:F1} min (this run; reused runs cost nothing), {DateTime.UtcNow:yyyy-MM-dd}. Training steps: {(plan.TrainingSteps > 0 ? plan.TrainingSteps.ToString(CultureInfo.InvariantCulture) : "each recipe's own")}.");
        var png = new ScottPlotRenderer().RenderPng(ExperimentChart.Spec(runs));
        AtomicFile.Write(Path.Combine(output, ChartFile), stream => stream.Write(png));
        var path = Path.Combine(output, ComparisonFile);
        AtomicFile.WriteAllText(path, ExperimentReport.Markdown(runs, heading) + $"\n![scores]({ChartFile})\n");
        progress.WriteLine($"experiment done in {clock.Elapsed.TotalSeconds:F0} s: {path}");
        progress.Flush();
        return path;
    }
}
