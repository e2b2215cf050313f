using System.Text.Json;
using AgentFlan.Compilation;
using AgentFlan.Diagnostics;
using AgentFlan.Shards;

namespace AgentFlan.Trainer.Data;

/// <summary>
/// The compiled dataset seen as one list of rows: every shard the manifest names, opened (memory-mapped)
/// in manifest order. Missing files fail early with AFB5003 naming the path, before any model is built.
/// </summary>
public sealed class TrainingData : IDisposable
{
    private readonly ShardReader[] _shards;
    private readonly long[] _firstRow;

    private TrainingData(string manifestPath, DatasetManifest manifest, ShardReader[] shards)
    {
        ManifestPath = manifestPath;
        Manifest = manifest;
        _shards = shards;
        _firstRow = new long[shards.Length + 1];
        for (int i = 0; i < shards.Length; i++)
        {
            _firstRow[i + 1] = _firstRow[i] + shards[i].RowCount;
        }

        SequenceLength = shards[0].SequenceLength;
    }

    public string ManifestPath { get; }

    public DatasetManifest Manifest { get; }

    public int SequenceLength { get; }

    public long RowCount => _firstRow[^1];

    /// <param name="manifestPath">manifest.json of the compiled recipe.</param>
    /// <param name="origin">The file errors are reported against (the job file).</param>
    public static TrainingData Open(string manifestPath, string origin)
    {
        if (!File.Exists(manifestPath))
        {
            throw Missing(origin, $"The dataset manifest '{manifestPath}' does not exist; compile the recipe first (dotnet build -t:AgentFlanPrepareData).");
        }

        DatasetManifest manifest;
        try
        {
            manifest = DatasetManifest.Load(manifestPath);
        }
        catch (JsonException e)
        {
            throw Missing(origin, $"The dataset manifest '{manifestPath}' cannot be read: {e.Message}");
        }

        if (manifest.Shards is not { Count: > 0 })
        {
            throw Missing(origin, $"The dataset manifest '{manifestPath}' lists no shards.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var missing = manifest.Shards.SelectMany(s => new[] { s.File, ShardFormat.MaskPathOf(s.File) }).Select(f => Path.GetFullPath(Path.Combine(folder, f))).Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new DiagnosticException([.. missing.Select(p => Diagnostic.Error(
                DiagnosticCodes.TrainingDataMissing, $"The shard file '{p}' named by '{manifestPath}' does not exist; recompile the recipe.", origin))]);
        }

        var shards = new List<ShardReader>();
        try
        {
            foreach (var shard in manifest.Shards)
            {
                shards.Add(ShardReader.Open(Path.GetFullPath(Path.Combine(folder, shard.File))));
            }

            if (shards.Select(s => s.SequenceLength).Distinct().Count() > 1)
            {
                throw new DiagnosticException(Diagnostic.Error(
                    DiagnosticCodes.ShardInvalid, $"The shards of '{manifestPath}' have different sequence lengths.", manifestPath));
            }

            if (shards.Sum(s => (long)s.RowCount) == 0)
            {
                throw Missing(origin, $"The shards of '{manifestPath}' hold no rows.");
            }

            return new TrainingData(manifestPath, manifest, [.. shards]);
        }
        catch
        {
            shards.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>Reads global row <paramref name="row"/> (rows of shard 0 first, then shard 1, …).</summary>
    public PackedRow ReadRow(long row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)row, (ulong)RowCount, nameof(row));
        int shard = Array.BinarySearch(_firstRow, row);
        shard = shard >= 0 ? shard : ~shard - 1;
        while (_firstRow[shard + 1] <= row)
        {
            shard++; // skip empty shards that share a start row
        }

        var reader = _shards[shard];
        int local = (int)(row - _firstRow[shard]);
        var tokens = new int[SequenceLength];
        var loss = new byte[SequenceLength];
        reader.ReadRow(local, tokens, loss);
        var documents = reader.GetDocuments(local).Select(d => (d.Start, d.Length, d.Kind)).ToArray();
        return new PackedRow(tokens, loss, documents);
    }

    /// <summary>Every distinct token id in every row (padding included: it is fed to the model too).</summary>
    public SortedSet<int> DistinctTokenIds()
    {
        var seen = new HashSet<int>();
        var tokens = new int[SequenceLength];
        var loss = new byte[SequenceLength];
        foreach (var reader in _shards)
        {
            for (int r = 0; r < reader.RowCount; r++)
            {
                reader.ReadRow(r, tokens, loss);
                seen.UnionWith(tokens);
            }
        }

        return [.. seen];
    }

    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Dispose();
        }
    }

    private static DiagnosticException Missing(string origin, string message) =>
        new(Diagnostic.Error(DiagnosticCodes.TrainingDataMissing, message, origin));
}
