using AgentFlan.Caching;
using AgentFlan.Conversations;

namespace AgentFlan.Transforms;

/// <summary>
/// Conversations set aside by key during the last pass and taken at its end — the bases of the built samples and
/// the best-ranked irrelevant-tools candidates, whose samples come after every source conversation. They stay in
/// memory while their estimated size is within the budget; past it, each further one is appended to a temp file
/// (each record on its own, so any one decodes alone) with only its place kept, and read back when taken. So a
/// negatives ratio over a million conversations does not hold a hundred thousand bases in memory.
/// </summary>
public sealed class ConversationStash : IDisposable
{
    private readonly long _budgetBytes;
    private readonly string? _spillDirectory;
    private readonly Dictionary<int, Conversation> _memory = [];
    private readonly Dictionary<int, (long Offset, int Length)> _spilled = [];
    private long _estimatedBytes;
    private string? _path;
    private FileStream? _file;
    private BinaryWriter? _writer;

    /// <param name="budgetBytes">Estimated bytes kept in memory; past it conversations go to the temp file.</param>
    /// <param name="spillDirectory">Where the temp file goes; null keeps everything in memory.</param>
    public ConversationStash(long budgetBytes, string? spillDirectory)
    {
        _budgetBytes = budgetBytes;
        _spillDirectory = spillDirectory;
    }

    public int Count => _memory.Count + _spilled.Count;

    /// <summary>Whether any conversation went to the temp file.</summary>
    public bool Spilled => _path is not null;

    public bool Contains(int key) => _memory.ContainsKey(key) || _spilled.ContainsKey(key);

    /// <summary>Keeps <paramref name="conversation"/> under <paramref name="key"/>, replacing what was there.</summary>
    public void Put(int key, Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        Remove(key);
        var size = ConversationSpool.EstimatedBytes(conversation);
        if (_spillDirectory is null || _estimatedBytes + size <= _budgetBytes)
        {
            _memory[key] = conversation;
            _estimatedBytes += size;
            return;
        }

        if (_file is null)
        {
            Directory.CreateDirectory(_spillDirectory);
            _path = IO.AtomicFile.TempPathFor(Path.Combine(_spillDirectory, "conversations.stash"));
            _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1 << 16);
            _writer = new BinaryWriter(_file);
        }

        var offset = _file.Position;
        new ConversationCodec.Writer(_writer!).Write(conversation);
        _writer!.Flush();
        _spilled[key] = (offset, checked((int)(_file.Position - offset)));
    }

    /// <summary>The conversation kept under <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Nothing is kept under it.</exception>
    public Conversation Get(int key)
    {
        if (_memory.TryGetValue(key, out var conversation))
        {
            return conversation;
        }

        if (!_spilled.TryGetValue(key, out var place))
        {
            throw new KeyNotFoundException($"No conversation is stashed under {key}.");
        }

        var bytes = new byte[place.Length];
        for (int read = 0; read < bytes.Length;)
        {
            int got = RandomAccess.Read(_file!.SafeFileHandle, bytes.AsSpan(read), place.Offset + read);
            read += got > 0 ? got : throw new EndOfStreamException($"The stash file ends inside the conversation under {key}.");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes));
        return new ConversationCodec.Reader(reader).Read();
    }

    /// <summary>Forgets the conversation under <paramref name="key"/> (one in the temp file stays there, unread).</summary>
    public void Remove(int key)
    {
        if (_memory.Remove(key, out var conversation))
        {
            _estimatedBytes -= ConversationSpool.EstimatedBytes(conversation);
        }

        _spilled.Remove(key);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _file?.Dispose();
        if (_path is not null && File.Exists(_path))
        {
            File.Delete(_path);
        }
    }
}
