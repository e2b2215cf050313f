using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.Readers;

namespace AgentFlan.Cli.Commands;

/// <summary>
/// `agentflan read`: reads one source outside any recipe and prints its accounting (read = accepted +
/// repaired + rejected, by code with the first locations); optionally writes OpenAI-messages JSON Lines.
/// </summary>
internal static class ReadCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? format = null, path = null, output = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--format" when i + 1 < args.Count:
                    format = args[++i];
                    break;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                case { } a when !a.StartsWith('-') && path is null:
                    path = a;
                    break;
                default:
                    stderr.WriteLine($"agentflan read: unexpected argument '{args[i]}'.");
                    return 2;
            }
        }

        if (format is null || path is null)
        {
            stderr.WriteLine($"usage: agentflan read --format <{string.Join('|', SourceReaders.Formats)}> <path> [--out <file.jsonl>]");
            return 2;
        }

        if (SourceReaders.Find(format) is not { } reader)
        {
            stderr.WriteLine($"agentflan read: unknown format '{format}'; expected one of: {string.Join(", ", SourceReaders.Formats)}.");
            return 2;
        }

        var tally = new ReadTally();
        var conversations = new List<Conversation>();
        try
        {
            foreach (var result in reader.Read(path, Path.GetFileName(path), CancellationToken.None))
            {
                if (tally.Add(result) is AcceptedRecord accepted && output is not null)
                {
                    conversations.Add(accepted.Conversation);
                }
            }
        }
        catch (DiagnosticException e)
        {
            foreach (var diagnostic in e.Diagnostics)
            {
                stderr.WriteLine(diagnostic);
            }

            return 1;
        }

        stdout.WriteLine($"{path}: {tally.Read} read = {tally.Accepted} accepted + {tally.Repaired} repaired + {tally.Rejected} rejected ({tally.Filtered} of them by design)");
        foreach (var (code, count) in tally.RejectedByCode)
        {
            stdout.WriteLine($"  rejected {code} x{count}");
            foreach (var example in tally.Examples(code))
            {
                stdout.WriteLine($"    {ReadTally.Locate(example.Where)}: {example.Reason}");
            }
        }

        foreach (var (code, count) in tally.RepairedByCode)
        {
            stdout.WriteLine($"  repaired {code} x{count}");
        }

        if (output is not null)
        {
            OpenAiMessagesWriter.WriteFile(output, conversations);
            stdout.WriteLine($"wrote {conversations.Count} conversations to {output}");
        }

        return 0;
    }
}
