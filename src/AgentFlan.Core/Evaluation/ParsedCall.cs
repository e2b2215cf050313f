using System.Text.Json.Nodes;

namespace AgentFlan.Evaluation;

/// <summary>
/// A tool call found in generated text. <see cref="Arguments"/> is null when the arguments were not a valid JSON
/// object (or, in prose calls, when a value was not valid JSON). <see cref="Syntax"/> says which writing was
/// recognised: <c>native</c> (the template's own JSON call), <c>prose</c>, <c>react</c> or <c>json</c>.
/// </summary>
public sealed record ParsedCall(string Name, JsonObject? Arguments, string Syntax, int Position)
{
    public bool ArgumentsValid => Arguments is not null;
}
