namespace AgentFlan.Training;

/// <summary>
/// The model a recipe trains. <c>tiny</c> is a small Llama-style decoder trained from scratch (the embedded
/// default); <c>huggingface</c> loads a local checkpoint directory (issue: trainer).
/// With <see cref="Vocabulary"/> = <c>compact</c>, a from-scratch model only gets embedding rows for the token
/// ids that occur in the training shards (the id map is saved with the checkpoint): a 50k-row output layer
/// would otherwise dominate CPU time.
/// </summary>
public sealed record ModelSettings
{
    public string Kind { get; init; } = "tiny";

    public string? Path { get; init; }

    public int Layers { get; init; } = 2;

    public int Dim { get; init; } = 128;

    public int Heads { get; init; } = 4;

    public int KvHeads { get; init; } = 2;

    /// <summary>SwiGLU hidden size; 0 means the Llama rule (≈ 8/3·dim rounded up to a multiple of 32).</summary>
    public int HiddenDim { get; init; }

    public double RopeTheta { get; init; } = 10000;

    public double NormEps { get; init; } = 1e-5;

    public bool TieEmbeddings { get; init; } = true;

    public string Vocabulary { get; init; } = "compact";
}
