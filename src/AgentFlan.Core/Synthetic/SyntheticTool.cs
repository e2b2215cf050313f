using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>
/// One tool of the catalogue together with everything needed to simulate it: how users ask for it
/// (templates over slots), how its arguments are drawn, what it returns, and how an answer quotes the
/// result. Optional parameters are passed exactly when the chosen phrasing mentions them, so every
/// argument comes from the query text.
/// </summary>
internal sealed class SyntheticTool
{
    public required string Name { get; init; }

    public required string Domain { get; init; }

    public required string Description { get; init; }

    public required JsonObject Parameters { get; init; }

    /// <summary>Reserved for <see cref="SyntheticSplit.HeldOut"/>: never offered or named in training output.</summary>
    public bool HeldOut { get; init; }

    /// <summary>What the tool is for, as a verb phrase over the slots ("check the weather in {city}").</summary>
    public required string Purpose { get; init; }

    /// <summary>User phrasings usable in both splits (train tools) or in held-out only (held-out tools).</summary>
    public required IReadOnlyList<string> Phrasings { get; init; }

    /// <summary>Phrasings reserved for the held-out split, even for a training tool.</summary>
    public IReadOnlyList<string> HeldOutPhrasings { get; init; } = [];

    /// <summary>Draws the slot values of one query.</summary>
    public required Action<SampleRandom, Slots> Sample { get; init; }

    /// <summary>Simulates the tool: arguments in, result object out.</summary>
    public required Func<SampleRandom, JsonObject, JsonObject> Run { get; init; }

    /// <summary>Answer templates over the query slots and the result (<c>{r.key}</c>); each names every result key.</summary>
    public required IReadOnlyList<string> Answers { get; init; }

    /// <summary>The slot a follow-up turn swaps ("And in Lyon?"); null when the tool has no natural follow-up.</summary>
    public string? FollowUpSlot { get; init; }

    /// <summary>
    /// Whether answering needs data or actions only the tool has. False for calculators and dictionaries:
    /// without the tool a model can still answer those, so they make poor "no tools offered" negatives.
    /// </summary>
    public bool NeedsTool { get; init; } = true;

    public ToolSpec ToSpec() => new(Name, Description, (JsonObject)Parameters.DeepClone());

    public IEnumerable<string> RequiredParameters =>
        Parameters["required"]!.AsArray().Select(n => n!.GetValue<string>());

    public IEnumerable<string> ParameterNames => Parameters["properties"]!.AsObject().Select(p => p.Key);

    /// <summary>The phrasings a split may use for this tool.</summary>
    public IReadOnlyList<string> PhrasingsFor(SyntheticSplit split) => split switch
    {
        SyntheticSplit.Train when HeldOut => [],
        SyntheticSplit.Train => Phrasings,
        _ when HeldOut => [.. Phrasings, .. HeldOutPhrasings],
        _ => HeldOutPhrasings.Count > 0 ? HeldOutPhrasings : Phrasings,
    };

    /// <summary>The arguments a phrasing implies: every required parameter plus the optional ones it mentions.</summary>
    public JsonObject ArgumentsFor(string template, Slots slots)
    {
        var arguments = new JsonObject();
        var required = RequiredParameters.ToHashSet(StringComparer.Ordinal);
        foreach (var name in ParameterNames)
        {
            if (required.Contains(name) || Template.Mentions(template, name))
            {
                if (!slots.HasArgument(name))
                {
                    throw new InvalidOperationException($"Tool '{Name}' has no value for parameter '{name}'.");
                }

                arguments[name] = slots.Argument(name);
            }
        }

        return arguments;
    }
}
