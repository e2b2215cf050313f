namespace AgentFlan.Recipes;

/// <summary>A tokenizer from local data only. Built in: the tiktoken encodings shipped as NuGet data packages.</summary>
public sealed record TokenizerSettings
{
    public string Encoding { get; init; } = "gpt2";
}
