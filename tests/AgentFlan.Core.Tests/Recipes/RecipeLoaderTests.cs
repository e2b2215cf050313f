using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Recipes;

[TestClass]
public sealed class RecipeLoaderTests
{
    private const string Valid = """
        name: demo
        seed: 7
        sources:
          - name: synth
            format: synthetic
            count: 10
        sequence:
          length: 128
        training:
          steps: 5
        """;

    [TestMethod]
    public void Loads_a_valid_recipe_with_defaults_for_missing_sections()
    {
        using var temp = new TempDirectory();
        var result = RecipeLoader.Load(temp.WriteFile("demo.recipe.yaml", Valid));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        var recipe = result.Recipe!;
        Assert.AreEqual("demo", recipe.Name);
        Assert.AreEqual(7, recipe.Seed);
        Assert.AreEqual(128, recipe.Sequence.Length);
        Assert.AreEqual(5, recipe.Training.Steps);
        Assert.AreEqual("gpt2", recipe.Tokenizer.Encoding);
        Assert.AreEqual(10, recipe.Sources.Single().Count);
    }

    [TestMethod]
    public void Unknown_key_is_located_and_suggests_the_closest_key()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("bad.recipe.yaml", Valid.Replace("  length: 128", "  lenght: 128"));

        var result = RecipeLoader.Load(path);

        Assert.IsFalse(result.Succeeded);
        var error = result.Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.UnknownKey, error.Code);
        Assert.AreEqual(8, error.Line);
        Assert.AreEqual(3, error.Column);
        StringAssert.Contains(error.Message, "Did you mean 'length'?");
        Assert.AreEqual($"{Path.GetFullPath(path)}(8,3): error AFB0002: {error.Message}", error.ToString());
    }

    [TestMethod]
    public void Collects_every_error_before_failing()
    {
        using var temp = new TempDirectory();
        var text = """
            seed: many
            sources:
              - name: a
                format: glaiv
                path: missing.json
            sequence:
              length: 2
            model:
              dim: 100
              heads: 3
            """;
        var result = RecipeLoader.Load(temp.WriteFile("bad.recipe.yaml", text));

        var codes = result.Diagnostics.Select(d => d.Code).ToList();
        CollectionAssert.Contains(codes, DiagnosticCodes.WrongType);
        CollectionAssert.Contains(codes, DiagnosticCodes.UnknownName);
        CollectionAssert.Contains(codes, DiagnosticCodes.OutOfRange);
        Assert.IsTrue(result.Diagnostics.Count >= 4, string.Join("\n", result.Diagnostics));
        Assert.IsTrue(result.Diagnostics.All(d => d.Line > 0 && d.Column > 0));
        StringAssert.Contains(result.Diagnostics.First(d => d.Code == DiagnosticCodes.UnknownName).Message, "Did you mean 'glaive'?");
    }

    [TestMethod]
    public void Missing_source_file_names_the_resolved_path()
    {
        using var temp = new TempDirectory();
        var text = """
            sources:
              - name: a
                format: sharegpt
                path: data/chat.json
            """;
        var result = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", text));

        var error = result.Diagnostics.Single();
        Assert.AreEqual(DiagnosticCodes.ReferencedFileMissing, error.Code);
        StringAssert.Contains(error.Message, Path.Combine(temp.Path, "data", "chat.json"));
        Assert.AreEqual(2, error.Line);
    }

    [TestMethod]
    public void Yaml_syntax_error_and_duplicate_keys_are_located()
    {
        using var temp = new TempDirectory();
        var syntax = RecipeLoader.Load(temp.WriteFile("a.recipe.yaml", "sources: [\n  - name: x\n"));
        Assert.AreEqual(DiagnosticCodes.YamlSyntax, syntax.Diagnostics.Single().Code);
        Assert.IsTrue(syntax.Diagnostics.Single().Line > 0);

        var duplicate = RecipeLoader.Load(temp.WriteFile("b.recipe.yaml", "seed: 1\nseed: 2\nsources: []\n"));
        Assert.AreEqual(DiagnosticCodes.DuplicateKey, duplicate.Diagnostics[0].Code);
        Assert.AreEqual(2, duplicate.Diagnostics[0].Line);
    }

    [TestMethod]
    public void Missing_recipe_file_is_AFB0008()
    {
        var result = RecipeLoader.Load(Path.Combine(Path.GetTempPath(), "no-such-recipe.yaml"));
        Assert.AreEqual(DiagnosticCodes.RecipeNotFound, result.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void Every_runnable_recipe_in_the_repository_is_valid()
    {
        var recipes = Directory.GetFiles(RepositoryPaths.Combine("recipes"), "*.recipe.yaml")
            .Concat(Directory.GetFiles(RepositoryPaths.Combine("recipes", "ablations"), "*.recipe.yaml"))
            .ToList();
        Assert.IsTrue(recipes.Count >= 5);
        foreach (var path in recipes)
        {
            var result = RecipeLoader.Load(path);
            Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        }
    }

    [TestMethod]
    public void Paper_recipes_fail_only_by_naming_each_missing_file_and_its_origin()
    {
        var recipes = Directory.GetFiles(RepositoryPaths.Combine("recipes", "paper"), "*.recipe.yaml");
        Assert.IsTrue(recipes.Length >= 6);
        foreach (var path in recipes)
        {
            var errors = RecipeLoader.Load(path).Diagnostics.Where(d => d.IsError).ToList();
            Assert.IsTrue(errors.Count > 0, path);
            foreach (var error in errors)
            {
                Assert.AreEqual(DiagnosticCodes.ReferencedFileMissing, error.Code, error.ToString());
                Assert.IsTrue(error.Line > 0, error.ToString());
                if (error.Message.StartsWith("Source ", StringComparison.Ordinal))
                {
                    StringAssert.Contains(error.Message, "It comes from:", error.ToString());
                }
            }
        }
    }

    [TestMethod]
    public void Data_fingerprint_ignores_training_settings_and_absolute_location()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var first = RecipeLoader.Load(a.WriteFile("demo.recipe.yaml", Valid)).Recipe!;
        var moved = RecipeLoader.Load(b.WriteFile("demo.recipe.yaml", Valid.Replace("steps: 5", "steps: 50"))).Recipe!;
        var changed = RecipeLoader.Load(b.WriteFile("demo.recipe.yaml", Valid.Replace("length: 128", "length: 64"))).Recipe!;

        Assert.AreEqual(RecipeFingerprint.DataHash(first), RecipeFingerprint.DataHash(moved));
        Assert.AreNotEqual(RecipeFingerprint.DataHash(first), RecipeFingerprint.DataHash(changed));
    }
}
