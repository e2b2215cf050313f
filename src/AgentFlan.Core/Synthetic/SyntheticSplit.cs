namespace AgentFlan.Synthetic;

/// <summary>
/// Which side of the train / evaluation wall a generated corpus sits on. Held-out tools and phrasings
/// appear only in <see cref="HeldOut"/>; <see cref="Train"/> never mentions them.
/// </summary>
public enum SyntheticSplit
{
    Train,
    HeldOut,
}
