namespace AgentFlan.Recipes;

/// <summary>
/// A tokenizer from local data only: a built-in tiktoken encoding shipped as a NuGet data package,
/// a SentencePiece <c>.model</c> (Llama 2 family), or a Hugging Face <c>tokenizer.json</c>.
/// </summary>
public sealed record TokenizerSettings
{
    /// <summary><c>tiktoken</c>, <c>sentencepiece</c> or <c>huggingface</c>.</summary>
    public string Kind { get; init; } = "tiktoken";

    /// <summary>For <c>tiktoken</c>: gpt2, cl100k_base or o200k_base.</summary>
    public string Encoding { get; init; } = "gpt2";

    /// <summary>For file-based kinds: the absolute path of the model file.</summary>
    public string? Path { get; init; }
}
