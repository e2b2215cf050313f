using AgentFlan.Conversations;

namespace AgentFlan.Templates;

/// <summary>
/// A piece of rendered text and whether the model is trained to produce it. The loss mask is exactly the
/// union of supervised segments: it is computed from this structure, never by re-rendering and diffing.
/// </summary>
public sealed record TemplateSegment(string Text, bool Supervised, Capability Capability = Capability.None);
