using AgentFlan.Diagnostics;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Tokenization;

[TestClass]
public sealed class TokenizerRecipeValidationTests
{
    private static string Recipe(string template) => $$"""
        sources:
          - {name: s, format: synthetic, count: 5}
        tokenizer:
          kind: huggingface
          path: tokenizer.json
        template: {{template}}
        """;

    [TestMethod]
    public void A_template_whose_special_tokens_the_tokenizer_defines_validates()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json());

        var result = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", Recipe("chatml")));

        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
    }

    [TestMethod]
    public void A_template_special_token_missing_from_the_tokenizer_is_a_located_error()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("tokenizer.json", TinyTokenizerJson.Json());
        var path = temp.WriteFile("r.recipe.yaml", Recipe("llama3"));

        var errors = RecipeLoader.Load(path).Diagnostics.Where(d => d.IsError).ToList();

        Assert.IsTrue(errors.Count > 0);
        Assert.IsTrue(errors.All(e => e.Code == DiagnosticCodes.SpecialTokenMissing && e.File == path && e.Line == 4), string.Join("\n", errors));
        Assert.IsTrue(errors.Any(e => e.Message.Contains("<|start_header_id|>", StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [TestMethod]
    public void A_broken_tokenizer_file_fails_validation()
    {
        using var temp = new TempDirectory();
        temp.WriteFile("tokenizer.json", "{ not json");

        var error = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", Recipe("chatml"))).Diagnostics.Single(d => d.IsError);

        Assert.AreEqual(DiagnosticCodes.TokenizerUnavailable, error.Code);
    }
}
