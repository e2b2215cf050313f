using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentFlan.Conversations;
using AgentFlan.Readers.Text;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// ToolBench answer files (one JSON object per query, usually a folder of them). Only
/// <c>answer_generation</c> is used: <c>valid_data</c> trajectories whose last (longest)
/// <c>train_messages</c> list ends in <c>Finish</c> with <c>give_answer</c>. Each assistant
/// <c>function_call</c> becomes a structured call (its content the thought), each function message a tool
/// result, and the Finish call the final assistant text. The function list, less Finish, becomes the tools;
/// the <c>Begin!</c> line after the query is dropped.
/// </summary>
internal static class ToolBenchMapper
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Conversation Map(JsonElement record, RecordContext context)
    {
        if (JsonFields.Find(record, "answer_generation") is not { ValueKind: JsonValueKind.Object } answer)
        {
            throw record.TryGetProperty("api_list", out _) && record.TryGetProperty("query", out _)
                ? new RecordRejectedException(ReaderCodes.NotATrajectory, "a query-file entry has no trajectory; read the answer folder")
                : JsonFields.Shape("the record has no 'answer_generation' object");
        }

        if (JsonFields.Find(answer, "valid_data") is { ValueKind: JsonValueKind.False })
        {
            throw new RecordRejectedException(ReaderCodes.TrajectoryNotValid, "valid_data is false");
        }

        var builder = new ConversationBuilder();
        if (JsonFields.Find(answer, "function") is { ValueKind: JsonValueKind.Array } functions)
        {
            var i = 0;
            foreach (var function in functions.EnumerateArray())
            {
                var tool = ToolSpecs.FromJson(function, $"function[{i++}]", context);
                if (tool.Name != ToolBenchFinish.ToolName)
                {
                    builder.Tools.Add(tool);
                }
            }
        }

        var finished = false;
        var index = 0;
        foreach (var turn in Trajectory(answer).EnumerateArray())
        {
            if (finished)
            {
                throw new RecordRejectedException(ReaderCodes.UnexpectedShape, $"message {index} follows the Finish call");
            }

            var role = JsonFields.String(turn, "role");
            var content = JsonFields.String(turn, "content") ?? string.Empty;
            switch (role)
            {
                case "system":
                    builder.Add(Message.System(content));
                    break;
                case "user":
                    builder.Add(Message.User(ToolBenchFinish.UserText(content, !builder.Messages.Any(m => m.Role == Role.User))));
                    break;
                case "assistant":
                    finished = AddAssistant(turn, content, builder, context);
                    break;
                case "function" or "tool":
                    builder.AddToolResult(ToolBenchFinish.ResultText(content, context), JsonFields.String(turn, "name"));
                    break;
                default:
                    throw new RecordRejectedException(ReaderCodes.UnknownRole, $"message {index} has role '{role}'");
            }

            index++;
        }

        if (!finished)
        {
            throw ToolBenchFinish.Unfinished();
        }

        var id = context.Where is { Index: < 0, Line: 1 } ? FileStem(context.Where.File) : context.FallbackId;
        return builder.Build(id, context.Where);
    }

    /// <summary>Adds an assistant turn; true when it is the Finish(give_answer) that ends the trajectory.</summary>
    private static bool AddAssistant(JsonElement turn, string content, ConversationBuilder builder, RecordContext context)
    {
        var thought = ReActStep.StripThoughtLabel(content);
        if (JsonFields.Find(turn, "function_call") is not { } call)
        {
            builder.Add(Message.Assistant(content));
            return false;
        }

        var name = JsonFields.String(call, "name") ?? string.Empty;
        var arguments = ToolSpecs.Arguments(JsonFields.Find(call, "arguments"), name, context);
        if (name == ToolBenchFinish.ToolName)
        {
            builder.Add(Message.Assistant(ToolBenchFinish.FinalAnswer(arguments)) with { Thought = thought.Length > 0 ? thought : null });
            return true;
        }

        builder.Add(Message.Assistant(string.Empty) with
        {
            Thought = thought.Length > 0 ? thought : null,
            ToolCalls = [builder.Call(name, arguments)],
        });
        return false;
    }

    private static JsonElement Trajectory(JsonElement answer)
    {
        var lists = JsonFields.RequiredArray(answer, "train_messages");
        JsonElement? last = null;
        foreach (var list in lists.EnumerateArray())
        {
            if (list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0)
            {
                last = list;
            }
        }

        return last ?? throw ToolBenchFinish.Unfinished();
    }

    private static string FileStem(string? file)
    {
        var name = Path.GetFileName(file ?? "record");
        foreach (var extension in new[] { ".gz", ".jsonl", ".json" })
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^extension.Length];
            }
        }

        return name;
    }
}
