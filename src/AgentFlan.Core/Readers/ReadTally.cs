using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>
/// Counts what a read produced: <see cref="Read"/> = <see cref="Accepted"/> + <see cref="Repaired"/> +
/// <see cref="Rejected"/>, always. Rejections and repairs are counted by code, and the first few rejection
/// locations of each code are kept for the report (<c>agentflan read</c>, the manifest).
/// </summary>
public sealed class ReadTally(int examplesPerCode = 5)
{
    private readonly SortedDictionary<string, int> _rejected = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _repaired = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RejectedRecord>> _examples = new(StringComparer.Ordinal);

    public int Read { get; private set; }

    /// <summary>Accepted without any repair.</summary>
    public int Accepted { get; private set; }

    /// <summary>Accepted after at least one repair.</summary>
    public int Repaired { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Rejected records whose code is a filter (<see cref="ReaderCodes.Filters"/>), not a defect.</summary>
    public int Filtered { get; private set; }

    public IReadOnlyDictionary<string, int> RejectedByCode => _rejected;

    /// <summary>Repaired records per repair code (a record with two kinds of repair counts under both).</summary>
    public IReadOnlyDictionary<string, int> RepairedByCode => _repaired;

    public IReadOnlyList<RejectedRecord> Examples(string code) =>
        _examples.TryGetValue(code, out var examples) ? examples : [];

    /// <summary>Counts a result and hands it back, so a pipeline can tally as it streams.</summary>
    public ReadResult Add(ReadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Read++;
        switch (result)
        {
            case AcceptedRecord { IsRepaired: true } repaired:
                Repaired++;
                foreach (var repair in repaired.Repairs)
                {
                    _repaired[repair.Code] = _repaired.GetValueOrDefault(repair.Code) + 1;
                }

                break;
            case AcceptedRecord:
                Accepted++;
                break;
            case RejectedRecord rejected:
                Rejected++;
                Filtered += ReaderCodes.Filters.Contains(rejected.Code) ? 1 : 0;
                _rejected[rejected.Code] = _rejected.GetValueOrDefault(rejected.Code) + 1;
                if (!_examples.TryGetValue(rejected.Code, out var examples))
                {
                    _examples[rejected.Code] = examples = [];
                }

                if (examples.Count < examplesPerCode)
                {
                    // Keep the location and reason, not the raw text: the quarantine file has that.
                    examples.Add(rejected with { Raw = string.Empty });
                }

                break;
        }

        return result;
    }

    /// <summary>Location in the canonical <c>file(line)</c> or <c>file[index]</c> form.</summary>
    public static string Locate(Provenance where)
    {
        ArgumentNullException.ThrowIfNull(where);
        var file = where.File ?? where.Source;
        return where.Index >= 0 ? $"{file}[{where.Index}] (line {where.Line})" : where.Line > 0 ? $"{file}({where.Line})" : file;
    }
}
