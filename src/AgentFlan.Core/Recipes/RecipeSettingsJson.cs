using System.Text.Json.Serialization;

namespace AgentFlan.Recipes;

/// <summary>
/// Compile-time JSON metadata for the settings records the fingerprint serializes on every build: the
/// reflection-based path costs ~50 ms of start-up in each fresh MSBuild process, most of a no-op build's work.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SourceSettings))]
[JsonSerializable(typeof(TokenizerSettings))]
[JsonSerializable(typeof(AlignmentSettings))]
[JsonSerializable(typeof(CapabilitySettings))]
[JsonSerializable(typeof(NegativeSettings))]
[JsonSerializable(typeof(MixingSettings))]
[JsonSerializable(typeof(MaskingSettings))]
[JsonSerializable(typeof(HeldOutSettings))]
[JsonSerializable(typeof(EvaluationSettings))]
[JsonSerializable(typeof(SequenceSettings))]
internal sealed partial class RecipeSettingsJson : JsonSerializerContext;
