using AgentFlan.Conversations;

namespace AgentFlan.Readers;

/// <summary>
/// What a format's mapper knows about the record it maps: where it is, the id to use when the record has
/// none, and the repairs made so far. Mappers reject by throwing <see cref="RecordRejectedException"/>.
/// </summary>
internal sealed class RecordContext(Provenance where, Func<string> raw, ToolSpecCache? toolSpecs = null)
{
    private readonly List<Repair> _repairs = [];

    public Provenance Where { get; } = where;

    /// <summary><c>file:line</c> (JSON Lines) or <c>file#index</c> (arrays): stable and unique in a source.</summary>
    public string FallbackId =>
        Where.Index >= 0 ? $"{Path.GetFileName(Where.File)}#{Where.Index}" : $"{Path.GetFileName(Where.File)}:{Where.Line}";

    public IReadOnlyList<Repair> Repairs => _repairs;

    /// <summary>The tool specs read so far from this source (one instance per distinct spec).</summary>
    public ToolSpecCache ToolSpecs { get; } = toolSpecs ?? new ToolSpecCache();

    /// <summary>Records a repair; one entry per code and record, however often the defect occurs.</summary>
    public void Repaired(string code, string description)
    {
        if (!_repairs.Exists(repair => repair.Code == code))
        {
            _repairs.Add(new Repair(code, description));
        }
    }

    public AcceptedRecord Accept(Conversation conversation) => new(conversation) { Repairs = [.. _repairs] };

    public RejectedRecord Reject(string code, string reason) => new(Where, reason, code, raw());
}
