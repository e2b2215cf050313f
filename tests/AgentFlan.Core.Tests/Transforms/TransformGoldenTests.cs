using System.Text;
using AgentFlan.Conversations;
using AgentFlan.Templates;
using AgentFlan.TestUtilities;
using AgentFlan.Transforms;

namespace AgentFlan.Core.Tests.Transforms;

[TestClass]
public sealed class TransformGoldenTests
{
    /// <summary>
    /// The whole pipeline on a hand-written corpus: deduplication, the user negatives source, alignment,
    /// format-following, both negative kinds, the general ratio. Each output sample: id, kind, form, tools, and
    /// its rendering in the paper's template with supervised text in ⟦ ⟧ after capability weights.
    /// </summary>
    [TestMethod]
    public void Pipeline_output_is_pinned_by_a_golden_file()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.Recipe(), TransformCorpus.Small());
        var template = ChatTemplates.Get("agentflan");
        var text = new StringBuilder();
        foreach (var conversation in result.Conversations)
        {
            text.Append("=== ").Append(conversation.Id).Append(" | ").Append(conversation.Kind).Append(" | ")
                .Append(RenderForms.Name(result.Plan.FormOf(conversation))).Append(" | tools: ")
                .Append(string.Join(", ", conversation.Tools.Select(t => t.Name))).Append('\n');
            var segments = result.Plan.Weigh(conversation.Id, template.Render(conversation, new AgentFlan.Recipes.MaskingSettings(), result.Plan.FormOf(conversation)));
            foreach (var segment in segments)
            {
                text.Append(segment.Supervised ? "⟦" + segment.Text + "⟧" : segment.Capability != Capability.None ? "⟪" + segment.Text + "⟫" : segment.Text);
            }

            text.Append('\n');
        }

        text.Append("=== statistics\n").Append(System.Text.Json.JsonSerializer.Serialize(result.Statistics, AgentFlan.Compilation.DatasetManifest.JsonOptions)).Append('\n');
        var failure = Golden.Compare("tests/AgentFlan.Core.Tests/Transforms/Golden/pipeline.txt", text.ToString());
        Assert.IsNull(failure, failure);
    }

    [TestMethod]
    public void Duplicates_differing_in_case_and_whitespace_are_removed_keeping_the_smallest_id()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.Recipe(r => r with { Mixing = new() }), TransformCorpus.Small());
        var ids = result.Conversations.Select(c => c.Id).ToList();
        CollectionAssert.Contains(ids, "chat-a");
        CollectionAssert.DoesNotContain(ids, "chat-d");
        Assert.AreEqual(1, result.Statistics.DuplicatesBySource["chat"]);
    }

    [TestMethod]
    public void The_named_negatives_source_is_taken_as_negatives_as_given()
    {
        var result = AgentFlanTransforms.Apply(TransformCorpus.Recipe(), TransformCorpus.Small());
        var negative = result.Conversations.Single(c => c.Id == "user-neg-1");
        Assert.AreEqual(ConversationKind.Negative, negative.Kind);
        Assert.AreEqual(1, result.Statistics.NegativesByKind["source"]);
    }

    /// <summary>
    /// Bug: the render form was remembered by id, so a negatives-source conversation that shared its id with a
    /// trajectory aligned to ReAct in another source was rendered in ReAct form. Forms now follow the kind.
    /// </summary>
    [TestMethod]
    public void A_conversation_sharing_an_id_with_a_react_trajectory_keeps_its_own_form()
    {
        var corpus = TransformCorpus.Small();
        corpus.Add(new Conversation("tool-0", new Provenance("negatives"), [], [Message.User("What can you do?"), Message.Assistant("I can answer questions.")]) { Kind = ConversationKind.General });
        var result = AgentFlanTransforms.Apply(TransformCorpus.Recipe(r => r with { Alignment = new() { ReactFraction = 1.0 } }), corpus);
        var trajectory = result.Conversations.Single(c => c.Id == "tool-0" && c.Provenance.Source == "test");
        var negative = result.Conversations.Single(c => c.Id == "tool-0" && c.Provenance.Source == "negatives");
        Assert.AreEqual(RenderForm.React, result.Plan.FormOf(trajectory));
        Assert.AreEqual(ConversationKind.Negative, negative.Kind);
        Assert.AreEqual(RenderForm.Chat, result.Plan.FormOf(negative));
    }
}
