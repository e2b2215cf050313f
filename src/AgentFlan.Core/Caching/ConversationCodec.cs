using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Caching;

/// <summary>
/// A compact binary form of canonical conversations for the read stage: strings length-prefixed (UTF-8),
/// JSON arguments and schemas as their JSON text, and each distinct offered tool written once per entry
/// (a source offers the same few tools thousands of times), so decoded conversations share
/// <see cref="ToolSpec"/> instances. Lossless for everything the pipeline reads from a conversation.
/// </summary>
public static class ConversationCodec
{
    /// <summary>Writes conversations; a tool already written is referenced by its index.</summary>
    public sealed class Writer(BinaryWriter writer)
    {
        private readonly Dictionary<ToolSpec, int> _byReference = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> _byContent = new(StringComparer.Ordinal);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Write(Conversation conversation)
        {
            ArgumentNullException.ThrowIfNull(conversation);
            writer.Write(conversation.Id);
            WriteOptional(conversation.Provenance.Source);
            WriteOptional(conversation.Provenance.File);
            writer.Write(conversation.Provenance.Line);
            writer.Write(conversation.Provenance.Index);
            writer.Write((byte)conversation.Kind);
            writer.Write(conversation.Tools.Count);
            foreach (var tool in conversation.Tools)
            {
                WriteTool(tool);
            }

            writer.Write(conversation.Messages.Count);
            foreach (var message in conversation.Messages)
            {
                writer.Write((byte)message.Role);
                writer.Write(message.Content);
                WriteOptional(message.Thought);
                WriteOptional(message.ToolCallId);
                WriteOptional(message.Name);
                writer.Write(message.Loss);
                writer.Write(message.ToolCalls.Count);
                foreach (var call in message.ToolCalls)
                {
                    writer.Write(call.Name);
                    WriteJson(call.Arguments);
                    WriteOptional(call.Id);
                }
            }
        }

        private void WriteTool(ToolSpec tool)
        {
            if (!_byReference.TryGetValue(tool, out var index))
            {
                var text = $"{tool.Name}\u0000{tool.Description}\u0000{tool.Parameters.ToJsonString()}";
                if (!_byContent.TryGetValue(text, out index))
                {
                    index = _byContent.Count;
                    _byContent[text] = index;
                    writer.Write(-1); // a definition, then its index
                    writer.Write(tool.Name);
                    writer.Write(tool.Description);
                    WriteJson(tool.Parameters);
                }

                _byReference[tool] = index;
            }

            writer.Write(index);
        }

        /// <summary>JSON as compact UTF-8 with its length: no UTF-16 string on the way out or back in.</summary>
        private void WriteJson(JsonObject value)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(value);
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }

        private void WriteOptional(string? value)
        {
            writer.Write(value is not null);
            if (value is not null)
            {
                writer.Write(value);
            }
        }
    }

    /// <summary>Reads what <see cref="Writer"/> wrote, in order.</summary>
    public sealed class Reader(BinaryReader reader)
    {
        private readonly List<ToolSpec> _tools = [];
        private byte[] _json = new byte[4096];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Conversation Read()
        {
            var id = reader.ReadString();
            var provenance = new Provenance(ReadOptional()!, ReadOptional(), reader.ReadInt32(), reader.ReadInt32());
            var kind = (ConversationKind)reader.ReadByte();
            var tools = new ToolSpec[reader.ReadInt32()];
            for (int t = 0; t < tools.Length; t++)
            {
                tools[t] = ReadTool();
            }

            var messages = new Message[reader.ReadInt32()];
            for (int m = 0; m < messages.Length; m++)
            {
                var role = (Role)reader.ReadByte();
                var content = reader.ReadString();
                var thought = ReadOptional();
                var callId = ReadOptional();
                var name = ReadOptional();
                var loss = reader.ReadBoolean();
                var calls = new ToolCall[reader.ReadInt32()];
                for (int c = 0; c < calls.Length; c++)
                {
                    calls[c] = new ToolCall(reader.ReadString(), ReadJson(), ReadOptional());
                }

                messages[m] = new Message(role, content) { Thought = thought, ToolCallId = callId, Name = name, Loss = loss, ToolCalls = calls };
            }

            return new Conversation(id, provenance, tools, messages) { Kind = kind };
        }

        private ToolSpec ReadTool()
        {
            var index = reader.ReadInt32();
            if (index == -1)
            {
                _tools.Add(new ToolSpec(reader.ReadString(), reader.ReadString(), ReadJson()));
                index = reader.ReadInt32();
            }

            return _tools[index];
        }

        private string? ReadOptional() => reader.ReadBoolean() ? reader.ReadString() : null;

        private JsonObject ReadJson()
        {
            int length = reader.ReadInt32();
            if (_json.Length < length)
            {
                _json = new byte[Math.Max(length, _json.Length * 2)];
            }

            reader.BaseStream.ReadExactly(_json, 0, length);
            return JsonNode.Parse(_json.AsSpan(0, length))!.AsObject();
        }
    }
}
