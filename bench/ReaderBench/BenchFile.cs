using System.Text;

namespace AgentFlan.Bench;

/// <summary>Writes a synthetic file of one format, records of a few kilobytes each, until it reaches a size.</summary>
internal static class BenchFile
{
    public static void Write(string file, string format, long size, bool array)
    {
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20);
        var random = new Random(42);
        writer.Write(array ? "[" : string.Empty);
        for (var i = 0; stream.Position + 4096 < size; i++)
        {
            if (array && i > 0)
            {
                writer.Write(",\n");
            }

            writer.Write(Record(format, i, random));
            writer.Write(array ? string.Empty : "\n");
        }

        writer.Write(array ? "]" : string.Empty);
    }

    private static string Record(string format, int i, Random random)
    {
        var question = Text(random, 40);
        var answer = Text(random, 250);
        return format switch
        {
            "sharegpt" => $$$$"""{"id": "b{{{{i}}}}", "conversations": [{"from": "human", "value": "{{{{question}}}}"}, {"from": "gpt", "value": "{{{{answer}}}}"}, {"from": "human", "value": "{{{{question}}}}"}, {"from": "gpt", "value": "{{{{answer}}}}"}]}""",
            "glaive" => $$$$"""{"system": "SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\n{\n    \"name\": \"lookup\",\n    \"description\": \"Look a word up\",\n    \"parameters\": {\"type\": \"object\", \"properties\": {\"word\": {\"type\": \"string\"}}, \"required\": [\"word\"]}\n}\n", "chat": "USER: {{{{question}}}}\n\n\nASSISTANT: <functioncall> {\"name\": \"lookup\", \"arguments\": '{\"word\": \"w{{{{i}}}}\"}'} <|endoftext|>\n\n\nFUNCTION RESPONSE: {\"meaning\": \"{{{{question}}}}\"}\n\n\nASSISTANT: {{{{answer}}}} <|endoftext|>\n\n\n"}""",
            "toolllama" => $$$$"""{"id": "Step 2: q{{{{i}}}}", "conversations": [{"from": "system", "value": "You are AutoGPT.\nSpecifically, you have access to the following APIs: [{'name': 'lookup_for_dict', 'description': 'Look a word up', 'parameters': {'type': 'object', 'properties': {'word': {'type': 'string'}}, 'required': ['word'], 'optional': []}}, {'name': 'Finish', 'description': 'finish', 'parameters': {'type': 'object', 'properties': {}}}]"}, {"from": "user", "value": "\n{{{{question}}}}\nBegin!\n"}, {"from": "assistant", "value": "\nThought: look it up\nAction: lookup_for_dict\nAction Input: {\"word\": \"w{{{{i}}}}\"}"}, {"from": "function", "value": "{\"error\": \"\", \"response\": \"{{{{question}}}}\"}"}, {"from": "assistant", "value": "\nThought: done\nAction: Finish\nAction Input: {\"return_type\": \"give_answer\", \"final_answer\": \"{{{{answer}}}}\"}"}]}""",
            _ => $$$$"""{"id": "b{{{{i}}}}", "messages": [{"role": "system", "content": "You can call tools."}, {"role": "user", "content": "{{{{question}}}}"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "c{{{{i}}}}", "type": "function", "function": {"name": "lookup", "arguments": "{\"word\": \"w{{{{i}}}}\", \"limit\": 3}"}}]}, {"role": "tool", "tool_call_id": "c{{{{i}}}}", "content": "{{{{question}}}}"}, {"role": "assistant", "content": "{{{{answer}}}}"}], "tools": [{"type": "function", "function": {"name": "lookup", "description": "Look a word up", "parameters": {"type": "object", "properties": {"word": {"type": "string"}, "limit": {"type": "integer"}}, "required": ["word"]}}}]}""",
        };
    }

    private static string Text(Random random, int words)
    {
        string[] vocabulary = ["agent", "tool", "the", "call", "result", "a", "model", "reads", "data", "and", "returns", "answer", "of", "é", "streaming"];
        var builder = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            builder.Append(vocabulary[random.Next(vocabulary.Length)]).Append(' ');
        }

        return builder.ToString().TrimEnd();
    }
}
