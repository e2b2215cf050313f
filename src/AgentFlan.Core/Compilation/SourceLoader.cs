using AgentFlan.Caching;
using AgentFlan.Conversations;
using AgentFlan.Diagnostics;
using AgentFlan.IO;
using AgentFlan.Readers;
using AgentFlan.Recipes;

namespace AgentFlan.Compilation;

/// <summary>
/// Streams the conversations of every source of a recipe, in recipe order, and accounts for every record:
/// rejected records go to <c>quarantine/&lt;source&gt;.jsonl</c> next to the manifest with their location and
/// reason, and a source that rejects more than its <c>tolerance</c> fails the compile with AFB1028.
/// <see cref="Statistics"/> is complete once the sequence has been enumerated.
/// </summary>
public sealed class SourceLoader
{
    public const string QuarantineFolder = "quarantine";

    private readonly Recipe _recipe;
    private readonly string _outputDirectory;
    private readonly List<SourceStatistics> _statistics = [];
    private readonly IReadOnlyList<IReadOnlyList<SourceFile>>? _files;
    private readonly StageCache? _cache;
    private readonly Transforms.ConversationSpool? _spool;
    private readonly int _threads;
    private readonly HashSet<int> _readAhead = [];
    private readonly Dictionary<int, string> _readKeys = [];
    private readonly Dictionary<int, IReadOnlyList<SourceFile>> _inputFiles = [];
    private RelativeFile? _lastRelative;

    /// <param name="files">Each source's <see cref="InputFiles"/>, when the caller has them already.</param>
    /// <param name="cache">The stage cache for the read stage (<see cref="ReadStore"/>); null reads every source.</param>
    /// <param name="spool">
    /// The spool the conversations will go to: a source served by the read stage is adopted by it (replayed from its
    /// entry, kept open until the spool is disposed) instead of being stored there again.
    /// </param>
    /// <param name="threads">
    /// With a cache and more than one thread, file sources the read stage does not hold yet are read into it up to
    /// this many at a time before the conversations stream (each reader is single-threaded); 1 reads them in turn.
    /// </param>
    public SourceLoader(Recipe recipe, string outputDirectory, IReadOnlyList<IReadOnlyList<SourceFile>>? files = null, StageCache? cache = null, Transforms.ConversationSpool? spool = null, int threads = 1)
    {
        _recipe = recipe;
        _outputDirectory = outputDirectory;
        _files = files;
        _cache = cache;
        _spool = spool;
        _threads = threads;
    }

    /// <summary>File sources whose conversations came from the read stage rather than their files, so far.</summary>
    public int ReusedSources { get; private set; }

    public IReadOnlyList<SourceStatistics> Statistics => _statistics;

    public IEnumerable<Conversation> Read(CancellationToken cancellationToken) => ReadRuns(cancellationToken).SelectMany(run => run.Conversations);

    /// <summary>
    /// The sources in recipe order, each as a run of its conversations (enumerate each run, if at all, before asking
    /// for the next). A run served by the read stage is <see cref="SourceRun.Replayable"/>: its statistics, quarantine
    /// and tolerance are settled when the run is given, and the spool replays it from its entry, so a caller that
    /// knows its facts already may leave it unread.
    /// </summary>
    public IEnumerable<SourceRun> ReadRuns(CancellationToken cancellationToken)
    {
        _statistics.Clear();
        var quarantine = Path.Combine(_outputDirectory, QuarantineFolder);
        foreach (var source in _recipe.Sources)
        {
            var stale = QuarantinePath(source);
            if (File.Exists(stale))
            {
                File.Delete(stale);
            }
        }

        var failures = ReadAhead(cancellationToken);
        for (int index = 0; index < _recipe.Sources.Count; index++)
        {
            // A source read ahead that failed (tolerance, unreadable file) fails here, in recipe order.
            if (failures.TryGetValue(index, out var failure))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            var source = _recipe.Sources[index];
            if (source.Format == "synthetic")
            {
                yield return new SourceRun(source.Name, Synthetic(source, cancellationToken), replayable: false, _threads);
                continue;
            }

            var stored = _cache is null ? null : ReadStore.Open(_cache, ReadKey(index));
            yield return stored is null
                ? new SourceRun(source.Name, replayable: false, examine => FromFiles(index, aside: false, examine, cancellationToken))
                : FromStore(index, stored, cancellationToken);
        }

        if (Directory.Exists(quarantine) && !Directory.EnumerateFileSystemEntries(quarantine).Any())
        {
            Directory.Delete(quarantine);
        }
    }

    private IEnumerable<Conversation> Synthetic(SourceSettings source, CancellationToken cancellationToken)
    {
        long count = 0;
        foreach (var conversation in SyntheticSource.Generate(source, _recipe.Seed, cancellationToken))
        {
            count++;
            yield return conversation;
        }

        _statistics.Add(new SourceStatistics { Name = source.Name, Format = source.Format, Read = count, Accepted = count });
    }

    /// <summary>
    /// Reads the file sources the read stage lacks into it, several at once (when there are two or more and threads to
    /// spare): each is then served from its entry, in recipe order, like any cached source. What would have been a
    /// serial read of N sources costs about N / threads reads plus one decode of each entry.
    /// </summary>
    /// <returns>Each source whose read failed, by index, with its error.</returns>
    private Dictionary<int, Exception> ReadAhead(CancellationToken cancellationToken)
    {
        var failures = new Dictionary<int, Exception>();
        if (_cache is null || _threads < 2)
        {
            return failures;
        }

        var missing = Enumerable.Range(0, _recipe.Sources.Count)
            .Where(i => _recipe.Sources[i].Format != "synthetic" && !_cache.Contains(ReadStore.Stage, ReadKey(i)))
            .ToList();
        if (missing.Count < 2)
        {
            return failures;
        }

        int next = -1;
        var errors = new Exception?[missing.Count];
        var readers = Enumerable.Range(0, Math.Min(_threads, missing.Count)).Select(_ => new Thread(() =>
        {
            for (int j; (j = Interlocked.Increment(ref next)) < missing.Count && !cancellationToken.IsCancellationRequested;)
            {
                try
                {
                    var index = missing[j];
                    foreach (var unused in FromFiles(index, aside: true, examine: null, cancellationToken))
                    {
                    }
                }
                catch (Exception e)
                {
                    errors[j] = e;
                }
            }
        })
        { IsBackground = true, Name = "AgentFlan source reader" }).ToList();
        readers.ForEach(t => t.Start());
        readers.ForEach(t => t.Join());
        cancellationToken.ThrowIfCancellationRequested();
        for (int j = 0; j < missing.Count; j++)
        {
            if (errors[j] is { } error)
            {
                failures[missing[j]] = error;
            }
            else
            {
                _readAhead.Add(missing[j]);
            }
        }

        return failures;
    }

    /// <summary>The source's input files, hashed once (by the caller, or here on first use).</summary>
    private IReadOnlyList<SourceFile> FilesOf(int index)
    {
        lock (_inputFiles)
        {
            if (!_inputFiles.TryGetValue(index, out var files))
            {
                _inputFiles[index] = files = _files?[index] ?? InputFiles(_recipe, _recipe.Sources[index]);
            }

            return files;
        }
    }

    /// <summary>Each file source's read-stage key (<see cref="ReadStore.Key"/>), by source name.</summary>
    public IReadOnlyDictionary<string, string> ReadKeys() =>
        Enumerable.Range(0, _recipe.Sources.Count)
            .Where(i => _recipe.Sources[i].Format != "synthetic")
            .ToDictionary(i => _recipe.Sources[i].Name, ReadKey, StringComparer.Ordinal);

    /// <summary>The source's read-stage key, computed once (its files are hashed by the caller or here).</summary>
    private string ReadKey(int index)
    {
        lock (_readKeys)
        {
            if (!_readKeys.TryGetValue(index, out var key))
            {
                _readKeys[index] = key = ReadStore.Key(_recipe.Sources[index], FilesOf(index));
            }

            return key;
        }
    }

    /// <summary>
    /// A source the read stage holds: its quarantine, statistics and tolerance settled now, its conversations decoded from
    /// the entry as the run is enumerated (the spool adopts the entry, so later passes replay it from there).
    /// </summary>
    private SourceRun FromStore(int index, StreamedEntryReader<Conversation, StoredRead> stored, CancellationToken cancellationToken)
    {
        var source = _recipe.Sources[index];
        if (_spool is not null)
        {
            _spool.Adopt(source.Name, stored.Replay, stored);
        }

        var summary = stored.Summary;
        if (summary.Quarantine is not null)
        {
            Directory.CreateDirectory(Path.Combine(_outputDirectory, QuarantineFolder));
            AtomicFile.WriteAllText(QuarantinePath(source), summary.Quarantine);
        }

        _statistics.Add(summary.Statistics);
        CheckTolerance(source, summary.Statistics, summary.Reasons);
        if (!_readAhead.Contains(index))
        {
            ReusedSources++;
        }

        return new SourceRun(source.Name, Records(), replayable: _spool is not null, _threads);

        IEnumerable<Conversation> Records()
        {
            using (_spool is null ? stored : null)
            {
                foreach (var conversation in stored.Records())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return conversation;
                }
            }
        }
    }

    /// <param name="aside">Read into the read stage only (<see cref="ReadAhead"/>): statistics are taken from the entry later.</param>
    /// <param name="examine">Computed for each conversation on the reader's threads (<see cref="SourceRun.Examine"/>); null computes nothing.</param>
    private IEnumerable<(Conversation, Transforms.ConversationExamination?)> FromFiles(int index, bool aside, Func<Conversation, Transforms.ConversationExamination>? examine, CancellationToken cancellationToken)
    {
        var source = _recipe.Sources[index];
        var files = FilesOf(index);
        var reader = SourceReaders.Find(source.Format)
            ?? throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.UnknownName, $"Source '{source.Name}': format '{source.Format}' has no reader.", _recipe.FilePath));
        var key = ReadKey(index);
        // Encoded and hashed on the entry's own thread; the spool keeps nothing of a source it will replay from the entry.
        using var store = _cache is null ? null : new BackgroundEntryWriter<Conversation, StoredRead>(ReadStore.Create(_cache, key));
        var replayed = store is not null && _spool is not null && !aside;
        if (replayed)
        {
            _spool!.Defer(source.Name);
        }

        var tally = new ReadTally();
        QuarantineWriter? quarantine = null;
        long yielded = 0;
        try
        {
            foreach (var path in SourcePaths.Expand(source.Path!))
            {
                // Read ahead beside other sources, one thread each; alone, on every thread the compile has, which also
                // give each conversation its final provenance and examine it.
                foreach (var (result, conversation, examination) in reader.Read(path, source.Name, aside ? 1 : _threads, result => Prepare(result, examine), cancellationToken))
                {
                    tally.Add(result);
                    if (result is RejectedRecord rejected)
                    {
                        quarantine ??= new QuarantineWriter(QuarantinePath(source));
                        quarantine.Write(rejected with { Where = rejected.Where with { File = Relative(rejected.Where.File) } });
                        continue;
                    }

                    store?.Add(conversation!);
                    yield return (conversation!, examination);
                    if (source.Count > 0 && ++yielded >= source.Count)
                    {
                        break;
                    }
                }

                if (source.Count > 0 && yielded >= source.Count)
                {
                    break;
                }
            }

            quarantine?.Commit();
        }
        finally
        {
            quarantine?.Dispose();
        }

        var statistics = new SourceStatistics
        {
            Name = source.Name,
            Format = source.Format,
            Read = tally.Read,
            Accepted = tally.Accepted,
            Repaired = tally.Repaired,
            Rejected = tally.Rejected,
            Filtered = tally.Filtered,
            Files = files,
            RejectedByCode = new SortedDictionary<string, int>(tally.RejectedByCode.ToDictionary(), StringComparer.Ordinal),
            RepairedByCode = new SortedDictionary<string, int>(tally.RepairedByCode.ToDictionary(), StringComparer.Ordinal),
            Quarantine = quarantine is null ? null : $"{QuarantineFolder}/{source.Name}.jsonl",
        };
        if (!aside)
        {
            _statistics.Add(statistics);
        }

        var reasons = Reasons(tally);
        CheckTolerance(source, statistics, reasons);
        store?.Commit(new StoredRead(statistics, reasons, quarantine is null ? null : File.ReadAllText(QuarantinePath(source))));
        if (replayed)
        {
            var entry = ReadStore.Open(_cache!, key)
                ?? throw new IOException($"The read stage entry of source '{source.Name}' could not be read back right after it was written ({_cache!.Root}).");
            _spool!.Adopt(source.Name, entry.Replay, entry);
        }
    }

    /// <summary>
    /// The files the samples stage's key covers by content: every source's input files (as <see cref="InputFiles"/>,
    /// in recipe order), then each evaluation source's — their cases decontaminate the training data, so editing one
    /// must not reuse documents decontaminated against the old cases. A missing evaluation file adds none here (the
    /// evaluation reports it, AFB6003).
    /// </summary>
    public static List<IReadOnlyList<SourceFile>> KeyFiles(Recipe recipe, IReadOnlyList<IReadOnlyList<SourceFile>> sourceFiles, FileHashMemo? hashes = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(sourceFiles);
        var files = new List<IReadOnlyList<SourceFile>>(sourceFiles);
        foreach (var source in recipe.Evaluation.Sources)
        {
            try
            {
                files.Add(InputFiles(recipe, source, hashes));
            }
            catch (DiagnosticException)
            {
                files.Add([]);
            }
        }

        return files;
    }

    /// <summary>
    /// A source's input files, relative to the recipe and in reading order, with their sizes and content hashes
    /// (none for a synthetic source). Fails with AFB1002-style errors when nothing matches the path.
    /// </summary>
    /// <param name="hashes">Remembered file hashes (<see cref="FileHashMemo"/>); null reads every file.</param>
    public static IReadOnlyList<SourceFile> InputFiles(Recipe recipe, SourceSettings source, FileHashMemo? hashes = null) =>
        InputFiles(recipe, [source], threads: 1, hashes)[0];

    /// <summary>
    /// <see cref="InputFiles(Recipe, SourceSettings, FileHashMemo?)"/> of several sources: every source's files are
    /// listed first, in order (so a source that matches nothing is the same error whatever the threads), then hashed up
    /// to <paramref name="threads"/> files at a time (a cold compile of four 90 MB sources hashed for half a second on
    /// one core while the other waited).
    /// </summary>
    public static List<IReadOnlyList<SourceFile>> InputFiles(Recipe recipe, IReadOnlyList<SourceSettings> sources, int threads, FileHashMemo? hashes = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(sources);
        var listed = sources.Select(source => InputPaths(recipe, source)).ToList();
        var all = listed.SelectMany(paths => paths).ToArray();
        var hashed = new string[all.Length];
        var failures = new Exception?[all.Length];
        void Hash(int i)
        {
            try
            {
                hashed[i] = hashes?.Sha256(all[i]) ?? Hashing.ContentHash.OfFile(all[i]);
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
        }

        if (threads > 1 && all.Length > 1)
        {
            Parallel.For(0, all.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, Hash);
        }
        else
        {
            for (int i = 0; i < all.Length; i++)
            {
                Hash(i);
            }
        }

        // As a loop in order would fail: the first file's failure, as itself, whatever finished first.
        if (failures.FirstOrDefault(e => e is not null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        var files = new List<IReadOnlyList<SourceFile>>(listed.Count);
        int at = 0;
        foreach (var paths in listed)
        {
            files.Add([.. paths.Select(f => new SourceFile(Path.GetRelativePath(recipe.Directory, f).Replace('\\', '/'), new FileInfo(f).Length, hashed[at++]))]);
        }

        return files;
    }

    /// <summary>A source's input files, full paths in reading order (none for a synthetic source); AFB1002-style errors when nothing matches.</summary>
    private static IReadOnlyList<string> InputPaths(Recipe recipe, SourceSettings source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Format == "synthetic")
        {
            return [];
        }

        var paths = SourcePaths.Expand(source.Path!);
        if (paths.Count == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(DiagnosticCodes.SourceUnreadable, $"Source '{source.Name}': nothing matches '{source.Path}'.", recipe.FilePath));
        }

        return [.. paths
            .SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Writes the quarantine files a cached compile recorded (and removes stale ones), as reading would have.</summary>
    public static void RestoreQuarantine(Recipe recipe, string outputDirectory, IReadOnlyDictionary<string, string> quarantine)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(quarantine);
        foreach (var source in recipe.Sources)
        {
            var path = Path.Combine(outputDirectory, QuarantineFolder, source.Name + ".jsonl");
            if (quarantine.TryGetValue(source.Name, out var text))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                IO.AtomicFile.WriteAllText(path, text);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The quarantine files this read wrote, by source name.</summary>
    public IReadOnlyDictionary<string, string> QuarantinedText() =>
        _statistics.Where(s => s.Quarantine is not null)
            .ToDictionary(s => s.Name, s => File.ReadAllText(Path.Combine(_outputDirectory, s.Quarantine!)), StringComparer.Ordinal);

    private void CheckTolerance(SourceSettings source, SourceStatistics statistics, string reasons)
    {
        var defects = statistics.Rejected - statistics.Filtered;
        var usable = statistics.Accepted + statistics.Repaired;
        if (usable == 0)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.SourceEmpty,
                $"Source '{source.Name}' ({source.Format}) yielded no conversation from {statistics.Read} records{reasons}.",
                _recipe.FilePath));
        }

        if (statistics.Read > 0 && (double)defects / statistics.Read > source.Tolerance)
        {
            throw new DiagnosticException(Diagnostic.Error(
                DiagnosticCodes.SourceOverTolerance,
                $"Source '{source.Name}' rejected {defects} of {statistics.Read} records ({100.0 * defects / statistics.Read:0.#}%), more than its tolerance of {100 * source.Tolerance:0.#}%{reasons}. Every rejected record is in {QuarantinePath(source)}.",
                _recipe.FilePath));
        }
    }

    private static string Reasons(ReadTally tally)
    {
        var reasons = tally.RejectedByCode
            .OrderByDescending(r => r.Value)
            .Take(3)
            .Select(r => $"{r.Key} x{r.Value} (first at {tally.Examples(r.Key).Select(e => ReadTally.Locate(e.Where) + ": " + e.Reason).FirstOrDefault()})");
        var text = string.Join("; ", reasons);
        return text.Length == 0 ? string.Empty : "; " + text;
    }

    private string QuarantinePath(SourceSettings source) => Path.Combine(_outputDirectory, QuarantineFolder, source.Name + ".jsonl");

    /// <summary>A read result with its conversation as the compile takes it (provenance relative to the recipe) and examined (on the reader's threads).</summary>
    private Prepared Prepare(ReadResult result, Func<Conversation, Transforms.ConversationExamination>? examine)
    {
        if (result is not AcceptedRecord accepted)
        {
            return new Prepared(result, null, null);
        }

        var read = accepted.Conversation;
        var conversation = read with { Provenance = read.Provenance with { File = Relative(read.Provenance.File) } };
        return new Prepared(result, conversation, examine?.Invoke(conversation));
    }

    /// <summary>Provenance names files relative to the recipe, so manifests do not depend on where the repository is.</summary>
    private string? Relative(string? file)
    {
        if (file is null)
        {
            return null;
        }

        // Every record of a file names it with the same string: the last answer serves them (swapped whole, so safe
        // from the reader's threads).
        var last = Volatile.Read(ref _lastRelative);
        if (last is not null && ReferenceEquals(last.File, file))
        {
            return last.Relative;
        }

        var relative = Path.GetRelativePath(_recipe.Directory, file).Replace('\\', '/');
        Volatile.Write(ref _lastRelative, new RelativeFile(file, relative));
        return relative;
    }

    private sealed record RelativeFile(string File, string Relative);

    private sealed record Prepared(ReadResult Result, Conversation? Conversation, Transforms.ConversationExamination? Examination);
}
