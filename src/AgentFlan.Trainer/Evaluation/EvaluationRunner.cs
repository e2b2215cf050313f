using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AgentFlan.Diagnostics;
using AgentFlan.Evaluation;
using AgentFlan.IO;
using AgentFlan.Templates;
using AgentFlan.Tokenization;
using AgentFlan.Trainer.Checkpoints;
using AgentFlan.Trainer.Data;
using AgentFlan.Trainer.Generation;
using static TorchSharp.torch;

namespace AgentFlan.Trainer.Evaluation;

/// <summary>
/// Evaluates one checkpoint: builds the held-out cases (Core: the generator's held-out split, the
/// <c>evaluation.sources</c> files and the recipe's held-out conversations from held_out.jsonl), renders each prompt
/// with the recipe's template, generates greedily with the KV cache in batches of prompts of similar length, cuts
/// each answer at the template's end-of-turn marker, scores it (Core), checks the cases against the training set's
/// decoded text, measures the held-out loss per capability when the <c>loss</c> suite is asked for
/// (<see cref="HeldOutLoss"/>), and writes results.json then report.md (atomically, report last: the build's output).
/// </summary>
public static class EvaluationRunner
{
    public const string ResultsFile = "results.json";
    public const string ReportFile = "report.md";

    public static EvaluationResults Run(EvaluationJob job, string jobPath, TextWriter progress)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.GetFullPath(job.OutputDirectory);
        Directory.CreateDirectory(output);
        File.Delete(Path.Combine(output, ReportFile));
        if (!File.Exists(Path.Combine(job.Checkpoint, CheckpointStore.WeightsFile)))
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationCheckpointMissing,
                $"The checkpoint '{job.Checkpoint}' does not exist; train the recipe first (dotnet build -t:Train).", jobPath));
        }

        var template = ChatTemplates.Get(job.Template);
        var tokenizer = TokenizerLoader.Load(job.Tokenizer);
        var (model, vocabulary) = CheckpointStore.Load(job.Checkpoint);
        using var disposeModel = model;
        var heldOut = HeldOutFile.Read(job.Manifest);
        var cases = EvaluationSuites.Build(job.Seed, job.Evaluation, heldOut, jobPath);
        var decontamination = Decontamination.Check(cases, TrainingText(job.Manifest, tokenizer, jobPath));
        progress.WriteLine($"AgentFlan.Trainer: evaluating {job.Recipe}: {cases.Count} held-out cases ({string.Join(", ", job.Evaluation.Suites)}), {job.Evaluation.MaxNewTokens} new tokens at most; decontamination: {decontamination.QueriesFoundInTraining} of the queries found in the training set");
        progress.Flush();

        var encoder = new PromptEncoder(tokenizer, vocabulary);
        int maxNew = job.Evaluation.MaxNewTokens;
        int room = model.Config.MaxPositionEmbeddings - maxNew;
        if (room < 16)
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.EvaluationJobInvalid,
                $"evaluation.max_new_tokens ({maxNew}) leaves no room for a prompt in the model's {model.Config.MaxPositionEmbeddings} positions.", jobPath));
        }

        var prompts = cases.Select(c => encoder.Encode(EvaluationPrompt.Render(template, c))).Select(p => p.Length > room ? p[^room..] : p).ToArray();
        var marker = EvaluationPrompt.EndOfTurn(template);
        var generator = new GreedyGenerator(model, CPU);
        var results = new CaseResult?[cases.Count];
        var order = Enumerable.Range(0, cases.Count).OrderBy(i => prompts[i].Length).ToArray();
        int batchSize = Math.Max(1, job.BatchSize), generated = 0;
        for (int start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.Skip(start).Take(batchSize).ToArray();
            var outputs = generator.Generate(
                [.. batch.Select(i => prompts[i])],
                maxNew,
                ids => marker.Length > 0 && encoder.Decode(ids).Contains(marker, StringComparison.Ordinal));
            for (int k = 0; k < batch.Length; k++)
            {
                var (text, finished) = EvaluationPrompt.Cut(encoder.Decode(outputs[k].Tokens), template);
                results[batch[k]] = Scoring.Score(cases[batch[k]], text.Trim(), template.Tools, job.Keywords, finished, outputs[k].Tokens.Count);
                generated += outputs[k].Tokens.Count;
            }

            if ((start / batchSize) % 4 == 3 || start + batchSize >= order.Length)
            {
                progress.WriteLine($"evaluate {job.Recipe}: {Math.Min(start + batchSize, order.Length)}/{order.Length} cases, {generated} tokens, {clock.Elapsed.TotalSeconds:F0} s");
                progress.Flush();
            }
        }

        var all = results.Select(r => r!).ToList();
        LossScores? loss = null;
        if (job.Evaluation.Suites.Contains(SuiteNames.Loss))
        {
            var samples = LossSuite.Tokenize(LossSuite.Conversations(job.Seed, job.Evaluation.Samples, heldOut), tokenizer, template, job.Masking, job.ReactFraction, job.Seed);
            int maxLength = Math.Min(model.Config.MaxPositionEmbeddings, job.SequenceLength > 0 ? job.SequenceLength : int.MaxValue);
            loss = HeldOutLoss.Measure(model, vocabulary, tokenizer, samples, maxLength);
            progress.WriteLine(FormattableString.Invariant($"evaluate {job.Recipe}: held-out loss {loss.Overall.MeanLoss:F3} (perplexity {loss.Overall.Perplexity:F1}) over {loss.Overall.Tokens} supervised tokens of {loss.Samples} conversations ({heldOut.Count} held out of the recipe's data), {clock.Elapsed.TotalSeconds:F0} s"));
            progress.Flush();
        }

        var evaluation = new EvaluationResults
        {
            Recipe = job.Recipe,
            TrainingSeed = TrainingSeed(job.Checkpoint),
            Seed = job.Seed,
            Suites = [.. job.Evaluation.Suites.Where(s => s is SuiteNames.Hallucination or SuiteNames.ToolUse).Select(s => Scoring.Summarize(s, all))],
            Cases = all,
            Decontamination = decontamination,
            Loss = loss,
            PromptTokensRemapped = encoder.Remapped,
            PromptTokensDropped = encoder.Dropped,
            Seconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
            GeneratedTokens = generated,
        };
        AtomicFile.WriteAllText(Path.Combine(output, ResultsFile), evaluation.ToJson());
        AtomicFile.WriteAllText(Path.Combine(output, ReportFile), EvaluationReport.Markdown(evaluation, job.Examples));
        foreach (var suite in evaluation.Suites)
        {
            progress.WriteLine($"{job.Recipe} {suite.Suite}: " + string.Join(", ", suite.Scores.Select(s => $"{s.Key} {EvaluationReportFormat(s.Value)}")));
        }

        progress.WriteLine($"report {Path.Combine(output, ReportFile)}");
        progress.Flush();
        return evaluation;
    }

    /// <summary>Scores stored answers again with the current scorer and rewrites results.json and report.md.</summary>
    public static EvaluationResults Rescore(EvaluationJob job, EvaluationResults stored)
    {
        var cases = EvaluationSuites.Build(job.Seed, job.Evaluation, HeldOutFile.Read(job.Manifest));
        var results = Scoring.Rescore(stored, cases, ChatTemplates.Get(job.Template).Tools, job.Keywords);
        var output = Path.GetFullPath(job.OutputDirectory);
        AtomicFile.WriteAllText(Path.Combine(output, ResultsFile), results.ToJson());
        AtomicFile.WriteAllText(Path.Combine(output, ReportFile), EvaluationReport.Markdown(results, job.Examples));
        return results;
    }

    private static string EvaluationReportFormat(double value) => double.IsNaN(value) ? "-" : FormattableString.Invariant($"{100 * value:F1}");

    /// <summary>Every training document, decoded, one per line: what the cases must not occur in.</summary>
    private static string TrainingText(string manifest, LoadedTokenizer tokenizer, string jobPath)
    {
        if (!File.Exists(manifest))
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.TrainingDataMissing, $"The dataset manifest '{manifest}' does not exist; compile the recipe first.", jobPath));
        }

        using var data = TrainingData.Open(manifest, jobPath);
        var text = new StringBuilder();
        for (long r = 0; r < data.RowCount; r++)
        {
            var row = data.ReadRow(r);
            foreach (var (start, length, _) in row.Documents)
            {
                text.Append(tokenizer.Tokenizer.Decode(row.Tokens.Skip(start).Take(length))).Append('\n');
            }
        }

        return text.ToString();
    }

    private static int TrainingSeed(string checkpoint)
    {
        var summary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint).TrimEnd(Path.DirectorySeparatorChar))!, "summary.json");
        try
        {
            return File.Exists(summary) ? JsonDocument.Parse(File.ReadAllText(summary)).RootElement.GetProperty("seed").GetInt32() : 0;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return 0;
        }
    }
}
