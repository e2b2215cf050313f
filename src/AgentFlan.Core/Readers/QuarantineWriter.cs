using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentFlan.Readers;

/// <summary>
/// Writes rejected records as JSON Lines — <c>{"source", "file", "line", "index", "code", "reason", "raw"}</c>
/// — to a temp file beside <c>path</c> that becomes <c>path</c> only on <see cref="Commit"/>: a build killed
/// half-way leaves no quarantine file that looks complete. Dispose without commit deletes the temp file.
/// </summary>
public sealed class QuarantineWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temp;
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private bool _committed;

    public QuarantineWriter(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        _temp = IO.AtomicFile.TempPathFor(_path);
        _stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Records written so far.</summary>
    public int Count { get; private set; }

    /// <summary>Writes every rejected record of <paramref name="records"/> to <paramref name="path"/> and commits.</summary>
    public static int WriteFile(string path, IEnumerable<RejectedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var writer = new QuarantineWriter(path);
        foreach (var record in records)
        {
            writer.Write(record);
        }

        writer.Commit();
        return writer.Count;
    }

    public void Write(RejectedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(_committed, this);
        _writer.WriteStartObject();
        _writer.WriteString("source", record.Where.Source);
        if (record.Where.File is not null)
        {
            _writer.WriteString("file", record.Where.File);
        }

        if (record.Where.Line > 0)
        {
            _writer.WriteNumber("line", record.Where.Line);
        }

        if (record.Where.Index >= 0)
        {
            _writer.WriteNumber("index", record.Where.Index);
        }

        _writer.WriteString("code", record.Code);
        _writer.WriteString("reason", record.Reason);
        _writer.WriteString("raw", record.Raw);
        _writer.WriteEndObject();
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    /// <summary>Flushes to disk and publishes the file under its final name.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _writer.Flush();
        _stream.Flush(flushToDisk: true);
        _writer.Dispose();
        _stream.Dispose();
        File.Move(_temp, _path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        _writer.Dispose();
        _stream.Dispose();
        if (File.Exists(_temp))
        {
            File.Delete(_temp);
        }

        _committed = true;
    }
}
