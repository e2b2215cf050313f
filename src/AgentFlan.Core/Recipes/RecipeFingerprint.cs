using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AgentFlan.Compilation;
using AgentFlan.Hashing;

namespace AgentFlan.Recipes;

/// <summary>
/// Canonical text of everything that decides a recipe's compiled data, and its hash. Paths are written
/// relative to the recipe and files it names by content (tokenizer, template), so a moved or re-cloned
/// repository gives the same fingerprint. Model and training settings are left out on purpose: changing them
/// retrains but never recompiles the data. Sections this version does not apply yet are included, so the
/// version that applies them rebuilds.
/// </summary>
public static class RecipeFingerprint
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(RecipeSettingsJson.Default, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    public static string DataSettings(Recipe recipe)
    {
        var sources = new JsonArray();
        foreach (var source in recipe.Sources)
        {
            var node = JsonSerializer.SerializeToNode(source, Options)!.AsObject();
            node["path"] = source.Path is null ? null : Relative(recipe, source.Path);
            sources.Add(node);
        }

        var tokenizer = JsonSerializer.SerializeToNode(recipe.Tokenizer, Options)!.AsObject();
        if (recipe.Tokenizer.Path is { } tokenizerPath)
        {
            tokenizer["path"] = File.Exists(tokenizerPath) ? ContentHash.OfFile(tokenizerPath) : Relative(recipe, tokenizerPath);
        }

        var template = Path.IsPathRooted(recipe.Template) && File.Exists(recipe.Template)
            ? "file:" + ContentHash.OfFile(recipe.Template)
            : recipe.Template;

        // Evaluation files decide data too (their cases decontaminate training): by relative path, and left out when
        // there are none so that recipes without them keep their fingerprint.
        var evaluation = JsonSerializer.SerializeToNode(recipe.Evaluation, Options)!.AsObject();
        evaluation.Remove("sources");
        if (recipe.Evaluation.Sources.Count > 0)
        {
            evaluation["sources"] = new JsonArray([.. recipe.Evaluation.Sources.Select(source =>
            {
                var node = JsonSerializer.SerializeToNode(source, Options)!.AsObject();
                node["path"] = source.Path is null ? null : Relative(recipe, source.Path);
                return (JsonNode)node;
            })]);
        }

        var root = new JsonObject
        {
            ["recipe"] = recipe.Name,
            ["compiler"] = CompilerInfo.Version,
            ["seed"] = recipe.Seed,
            ["sources"] = sources,
            ["tokenizer"] = tokenizer,
            ["template"] = template,
            ["alignment"] = JsonSerializer.SerializeToNode(recipe.Alignment, Options),
            ["capabilities"] = JsonSerializer.SerializeToNode(recipe.Capabilities, Options),
            ["negatives"] = JsonSerializer.SerializeToNode(recipe.Negatives, Options),
            ["mixing"] = JsonSerializer.SerializeToNode(recipe.Mixing, Options),
            ["masking"] = JsonSerializer.SerializeToNode(recipe.Masking, Options),
            ["held_out"] = JsonSerializer.SerializeToNode(recipe.HeldOut, Options),

            // Decontamination removes training samples that overlap the evaluation queries, so the suites decide data too.
            ["evaluation"] = evaluation,
            ["sequence"] = JsonSerializer.SerializeToNode(recipe.Sequence, Options),
        };
        return root.ToJsonString(Options) + "\n";
    }

    public static string DataHash(Recipe recipe) => ContentHash.OfText(DataSettings(recipe));

    /// <summary>
    /// What decides the evaluation's queries when no training conversation is held out: the seed and the evaluation
    /// settings. Null when the recipe names evaluation files, whose content this does not cover.
    /// </summary>
    public static string? EvaluationQueries(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return recipe.Evaluation.Sources.Count > 0 ? null : $"seed {recipe.Seed}\n{JsonSerializer.Serialize(recipe.Evaluation, Options)}";
    }

    /// <summary>The whole resolved recipe (defaults, extends and overrides applied) as JSON, for people.</summary>
    public static string Resolved(Recipe recipe)
    {
        var node = JsonSerializer.SerializeToNode(recipe, Options)!.AsObject();
        node.Remove("directory");
        return node.ToJsonString(Options) + "\n";
    }

    private static string Relative(Recipe recipe, string path) => Path.GetRelativePath(recipe.Directory, path).Replace('\\', '/');
}
