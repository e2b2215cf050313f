using System.Text;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.IO;

namespace AgentFlan.Writers;

/// <summary>
/// Writes canonical conversations in the public source formats, so that every reader can be exercised on
/// equivalent data. JSON Lines and JSON-array formats write one file; ToolBench writes a folder of answer
/// files. Output is streamed record by record and published atomically. With
/// <see cref="CorpusWriterOptions.InjectDefects"/>, the damaged records are returned and also listed in
/// <c>&lt;path&gt;.defects.jsonl</c>.
/// </summary>
public static class CorpusWriter
{
    public static IReadOnlyList<string> FormatNames { get; } = ["agentflan", "agentinstruct", "toolbench", "toolllama", "glaive", "sharegpt", "openai"];

    public static bool TryParseFormat(string name, out CorpusFormat format)
    {
        var index = FormatNames.ToList().IndexOf(name.Trim().ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal));
        format = index < 0 ? default : (CorpusFormat)index;
        return index >= 0;
    }

    public static string FormatName(CorpusFormat format) => FormatNames[(int)format];

    /// <summary>The usual file (or folder) name for a format.</summary>
    public static string DefaultFileName(CorpusFormat format) => format switch
    {
        CorpusFormat.AgentFlan => "agentflan.jsonl",
        CorpusFormat.AgentInstruct => "agentinstruct.jsonl",
        CorpusFormat.ToolBench => "toolbench_answer",
        CorpusFormat.ToolLlama => "toolllama.json",
        CorpusFormat.Glaive => "glaive.json",
        CorpusFormat.ShareGpt => "sharegpt.json",
        _ => "openai.jsonl",
    };

    public static CorpusWriteResult Write(CorpusFormat format, IEnumerable<Conversation> conversations, string path, CorpusWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CorpusWriterOptions();
        var defects = new List<InjectedDefect>();
        var files = new List<string>();
        var count = 0;
        if (format == CorpusFormat.ToolBench)
        {
            // Thousands of small files: write them plainly into a staging folder, then publish the folder
            // with one rename, so a killed run never leaves a half-written answer folder behind.
            var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            var staging = $"{target}.{Guid.NewGuid():N}.tmp";
            Directory.CreateDirectory(staging);
            try
            {
                foreach (var conversation in conversations)
                {
                    var name = $"{count}_ChatGPT_DFS_woFilter_w2.json";
                    var record = ToolBenchRecord.Build(conversation);
                    var defect = Damage(format, record, options, count, conversation.Id, name, defects);
                    var text = record.ToJsonString(Json.Compact);
                    File.WriteAllText(Path.Combine(staging, name), defect == "truncated-file" ? text[..(text.Length / 2)] : text, new UTF8Encoding(false));
                    files.Add(Path.Combine(target, name));
                    count++;
                }

                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }

                Directory.Move(staging, target);
            }
            finally
            {
                if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }
        }
        else
        {
            var jsonLines = format is CorpusFormat.AgentFlan or CorpusFormat.AgentInstruct or CorpusFormat.OpenAi;
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
                if (!jsonLines)
                {
                    writer.Write('[');
                }

                foreach (var conversation in conversations)
                {
                    var record = Build(format, conversation, count);
                    var location = jsonLines ? $"line {count + 1}" : $"index {count}";
                    var defect = Damage(format, record, options, count, conversation.Id, location, defects);
                    var text = record.ToJsonString(Json.Compact);
                    if (defect == DefectInjector.TruncatedLine)
                    {
                        text = text[..(text.Length / 2)];
                    }

                    if (jsonLines)
                    {
                        writer.WriteLine(text);
                    }
                    else
                    {
                        writer.Write(count == 0 ? "\n" : ",\n");
                        writer.Write(text);
                    }

                    count++;
                }

                if (!jsonLines)
                {
                    writer.Write("\n]\n");
                }
            });
            files.Add(path);
        }

        if (options.InjectDefects)
        {
            var manifest = Path.TrimEndingDirectorySeparator(path) + ".defects.jsonl";
            AtomicFile.WriteAllText(manifest, string.Concat(defects.Select(d => new JsonObject
            {
                ["index"] = d.Index,
                ["id"] = d.RecordId,
                ["defect"] = d.Defect,
                ["expected"] = d.Expected,
                ["location"] = d.Location,
            }.ToJsonString(Json.Compact) + "\n")));
        }

        return new CorpusWriteResult(count, files, defects);
    }

    /// <summary>One record in a format's JSON shape (ToolBench: one answer file).</summary>
    public static JsonObject BuildRecord(CorpusFormat format, Conversation conversation, int index = 0)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return format == CorpusFormat.ToolBench ? ToolBenchRecord.Build(conversation) : Build(format, conversation, index);
    }

    private static JsonObject Build(CorpusFormat format, Conversation conversation, int index) => format switch
    {
        CorpusFormat.AgentFlan => AgentFlanRecord.Build(conversation),
        CorpusFormat.AgentInstruct => AgentInstructRecord.Build(conversation),
        CorpusFormat.ToolLlama => ToolLlamaRecord.Build(conversation, index),
        CorpusFormat.Glaive => GlaiveRecord.Build(conversation),
        CorpusFormat.ShareGpt => ShareGptRecord.Build(conversation),
        CorpusFormat.OpenAi => OpenAiRecord.Build(conversation),
        _ => ToolBenchRecord.Build(conversation),
    };

    private static string? Damage(CorpusFormat format, JsonObject record, CorpusWriterOptions options, int index, string id, string location, List<InjectedDefect> defects)
    {
        if (!options.InjectDefects || DefectInjector.Apply(format, record, options, index) is not { } applied)
        {
            return null;
        }

        defects.Add(new InjectedDefect(index, id, applied.Defect, applied.Expected, location));
        return applied.Defect;
    }
}
