using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFlan.Compilation;
using AgentFlan.Hashing;

namespace AgentFlan.Recipes;

/// <summary>
/// Canonical text of everything that decides a recipe's compiled data, and its hash. Paths are written
/// relative to the recipe, so a moved or re-cloned repository gives the same fingerprint. Training and
/// model settings are deliberately left out: changing them must not recompile the data.
/// </summary>
public static class RecipeFingerprint
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string DataSettings(Recipe recipe)
    {
        var sources = new JsonArray();
        foreach (var source in recipe.Sources)
        {
            sources.Add(new JsonObject
            {
                ["name"] = source.Name,
                ["format"] = source.Format,
                ["path"] = source.Path is null ? null : Path.GetRelativePath(recipe.Directory, source.Path).Replace('\\', '/'),
                ["count"] = source.Count,
                ["seed"] = source.Seed,
            });
        }

        var root = new JsonObject
        {
            ["recipe"] = recipe.Name,
            ["compiler"] = CompilerInfo.Version,
            ["seed"] = recipe.Seed,
            ["sources"] = sources,
            ["tokenizer"] = recipe.Tokenizer.Encoding,
            ["template"] = recipe.Template,
            ["sequence"] = new JsonObject
            {
                ["length"] = recipe.Sequence.Length,
                ["packing"] = recipe.Sequence.Packing,
                ["over_length"] = recipe.Sequence.OverLength.ToString().ToLowerInvariant(),
            },
        };
        return root.ToJsonString(Indented) + "\n";
    }

    public static string DataHash(Recipe recipe) => ContentHash.OfText(DataSettings(recipe));
}
