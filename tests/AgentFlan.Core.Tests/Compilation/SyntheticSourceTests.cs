using AgentFlan.Compilation;
using AgentFlan.Recipes;
using AgentFlan.TestUtilities;

namespace AgentFlan.Core.Tests.Compilation;

[TestClass]
public sealed class SyntheticSourceTests
{
    [TestMethod]
    public void Options_set_the_kind_mix()
    {
        using var temp = new TempDirectory();
        var path = temp.WriteFile("r.recipe.yaml", """
            sources:
              - name: chat
                format: synthetic
                count: 50
                options: {single_call: 0, multi_step: 0, follow_up: 0, tool_failure: 0, no_tool_needed: 0, no_tools_offered: 0, general_chat: 1}
            """);
        var recipe = RecipeLoader.Load(path).Recipe!;

        var conversations = new SourceLoader(recipe, temp.Combine("out")).Read(CancellationToken.None).ToList();

        Assert.AreEqual(50, conversations.Count);
        Assert.IsTrue(conversations.All(c => c.Kind == AgentFlan.Conversations.ConversationKind.General && c.Tools.Count == 0));
    }

    [TestMethod]
    public void A_mix_with_every_weight_zero_is_rejected()
    {
        using var temp = new TempDirectory();
        var zeros = string.Join(", ", SyntheticSource.KindNames.Keys.Select(k => $"{k}: 0"));
        var result = RecipeLoader.Load(temp.WriteFile("r.recipe.yaml", $"sources:\n  - {{name: s, format: synthetic, count: 5, options: {{{zeros}}}}}\n"));
        Assert.AreEqual(AgentFlan.Diagnostics.DiagnosticCodes.OutOfRange, result.Diagnostics.Single().Code);
    }
}
