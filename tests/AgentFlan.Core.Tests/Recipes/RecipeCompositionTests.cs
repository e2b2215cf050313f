using System.Text.Json.Nodes;
using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Recipes;

[TestClass]
public sealed class RecipeCompositionTests
{
    private const string Base = """
        name: base
        description: the base
        seed: 5
        sources:
          - name: synth
            format: synthetic
            count: 10
        training:
          steps: 7
          learning_rate: 0.01
        """;

    [TestMethod]
    public void Extends_merges_mappings_and_the_child_wins()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("base.recipe.yaml", Base);
        var child = temp.WriteFile("sub/child.recipe.yaml", "extends: ../base.recipe.yaml\ntraining:\n  steps: 9\n");

        var recipe = RecipeLoader.Load(child).Recipe!;

        Assert.AreEqual("child", recipe.Name, "name is not inherited");
        Assert.IsNull(recipe.Description, "description is not inherited");
        Assert.AreEqual(5, recipe.Seed);
        Assert.AreEqual(9, recipe.Training.Steps);
        Assert.AreEqual(0.01, recipe.Training.LearningRate);
        Assert.AreEqual(2, recipe.Files.Count);
    }

    [TestMethod]
    public void An_error_in_an_inherited_value_points_into_the_parent_file()
    {
        using var temp = new TempDirectory();
        var parent = temp.WriteFile("base.recipe.yaml", Base.Replace("steps: 7", "steps: -1", StringComparison.Ordinal));
        var child = temp.WriteFile("child.recipe.yaml", "extends: base.recipe.yaml\nseed: 6\n");

        var error = RecipeLoader.Load(child).Diagnostics.Single();

        Assert.AreEqual(DiagnosticCodes.OutOfRange, error.Code);
        Assert.AreEqual(parent, error.File);
        Assert.AreEqual(9, error.Line);
    }

    [TestMethod]
    public void Extends_cycles_are_reported()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("a.recipe.yaml", "extends: b.recipe.yaml\n");
        var b = temp.WriteFile("b.recipe.yaml", "extends: a.recipe.yaml\n");

        var error = RecipeLoader.Load(b).Diagnostics.Single();

        Assert.AreEqual(DiagnosticCodes.ExtendsCycle, error.Code);
        StringAssert.Contains(error.Message, "b.recipe.yaml -> a.recipe.yaml -> b.recipe.yaml");
    }

    [TestMethod]
    public void Overrides_set_values_by_path_by_source_name_and_by_index()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("base.recipe.yaml", Base);

        var recipe = RecipeLoader.Load(path, "training.learning_rate=1e-4; seed=2 ;sources.synth.count=33;sources[0].weight=2;negatives.kinds=[no_tools]").Recipe!;

        Assert.AreEqual(1e-4, recipe.Training.LearningRate);
        Assert.AreEqual(2, recipe.Seed);
        Assert.AreEqual(33, recipe.Sources[0].Count);
        Assert.AreEqual(2.0, recipe.Sources[0].Weight);
        CollectionAssert.AreEqual(new[] { "no_tools" }, recipe.Negatives.Kinds.ToArray());
        Assert.AreEqual(5, recipe.Overrides.Count);
        Assert.AreNotEqual(RecipeFingerprint.DataHash(RecipeLoader.Load(path).Recipe!), RecipeFingerprint.DataHash(recipe));
    }

    [TestMethod]
    public void Bad_overrides_are_validated_like_recipe_text()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("base.recipe.yaml", Base);

        var unknown = RecipeLoader.Load(path, "training.lr=1e-4").Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.UnknownKey, unknown.Code);
        Assert.AreEqual("AgentFlanOverrides", unknown.File);
        StringAssert.Contains(unknown.Message, "Did you mean");

        var wrong = RecipeLoader.Load(path, "training.steps=many").Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.WrongType, wrong.Code);

        var malformed = RecipeLoader.Load(path, "seed").Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.InvalidOverride, malformed.Code);

        var noSource = RecipeLoader.Load(path, "sources.other.count=3").Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.InvalidOverride, noSource.Code);
    }

    [TestMethod]
    public void Json_schema_and_loader_know_exactly_the_same_keys()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("tok.model", "x");
        temp.WriteFile("t.yaml", "x: 1");
        var full = temp.WriteFile("full.recipe.yaml", """
            $schema: x
            sources:
              - {name: a, format: sharegpt, path: full.recipe.yaml, origin: here, options: {k: v}}
              - {name: b, format: synthetic, count: 2}
            tokenizer: {kind: sentencepiece, path: tok.model}
            template_file: t.yaml
            model: {kind: huggingface, path: .}
            training: {lora: {rank: 4}}
            alignment: {}
            capabilities: {}
            negatives: {}
            mixing: {}
            masking: {}
            held_out: {}
            evaluation: {sources: [{name: g, format: glaive, path: full.recipe.yaml, origin: here}]}
            sequence: {}
            """);
        var other = temp.WriteFile("other.recipe.yaml", "extends: full.recipe.yaml\ntemplate: chatml\n");

        var keys = new HashSet<string>(StringComparer.Ordinal);
        keys.UnionWith(RecipeLoader.Read(full, []).Keys);
        keys.UnionWith(RecipeLoader.Read(other, []).Keys);
        keys.Add("extends");

        var schema = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("recipes", "recipe.schema.json")))!;
        var documented = new HashSet<string>(StringComparer.Ordinal);
        Collect(schema, string.Empty, documented);

        CollectionAssert.AreEquivalent(documented.Order(StringComparer.Ordinal).ToList(), keys.Order(StringComparer.Ordinal).ToList());

        var reference = File.ReadAllText(RepositoryPaths.Combine("docs", "recipes.md"));
        foreach (var key in documented.Where(k => k != "$schema"))
        {
            StringAssert.Contains(reference, $"| `{key}` |", $"docs/recipes.md does not document '{key}'");
        }
    }

    private static void Collect(JsonNode node, string prefix, HashSet<string> paths)
    {
        if (node["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach (var (key, value) in properties)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value!["type"]?.GetValue<string>() == "array" && value["items"]?["properties"] is not null)
            {
                paths.Add(path);
                Collect(value["items"]!, path + "[]", paths);
            }
            else if (value["properties"] is not null)
            {
                paths.Add(path);
                Collect(value, path, paths);
            }
            else
            {
                paths.Add(path);
            }
        }
    }
}
