using System.Text.Json.Nodes;
using AgentFlan.Conversations;
using AgentFlan.Recipes;
using AgentFlan.Synthetic;

namespace AgentFlan.Core.Tests.Transforms;

/// <summary>Small hand-written corpora and recipes for the transform tests.</summary>
internal static class TransformCorpus
{
    public static ToolSpec Stocks { get; } = new(
        "stock_quote",
        "Latest share price for a ticker symbol.",
        JsonNode.Parse("""{"type":"object","properties":{"ticker":{"type":"string","description":"Exchange ticker"}}}""")!.AsObject());

    public static ToolSpec Translate { get; } = new(
        "translate_text",
        "Translate text into another language.",
        JsonNode.Parse("""{"type":"object","properties":{"text":{"type":"string"},"target":{"type":"string","description":"Language code"}}}""")!.AsObject());

    /// <summary>Six trajectories, four general chats (one a near-duplicate), one negative from a user source.</summary>
    public static List<Conversation> Small() =>
    [
        .. Enumerable.Range(0, 6).Select(i => TestConversations.ToolUse($"tool-{i}", $"City{i}") with { Tools = [TestConversations.Weather, Stocks, Translate] }),
        General("chat-a", "Why is the sky blue?", "Scattered sunlight."),
        General("chat-b", "Tell me a joke about cats.", "Cats have nine lives, so they never fear a punchline."),
        General("chat-c", "How do I boil an egg?", "Simmer it for eight minutes."),
        General("chat-d", "  why is the SKY blue? ", "Scattered   sunlight."),
        new Conversation("user-neg-1", new Provenance("negatives"), [Stocks], [Message.User("Hi there!"), Message.Assistant("Hello! How can I help?")]) { Kind = ConversationKind.General },
    ];

    public static Conversation General(string id, string question, string answer) =>
        new(id, new Provenance("chat"), [], [Message.User(question), Message.Assistant(answer)]) { Kind = ConversationKind.General };

    public static Recipe Recipe(Func<Recipe, Recipe>? change = null)
    {
        var recipe = new Recipe
        {
            Name = "transforms",
            FilePath = Path.Combine(Path.GetTempPath(), "transforms.recipe.yaml"),
            Seed = 7,
            Sources =
            [
                new SourceSettings { Name = "test", Format = "synthetic", Count = 1 },
                new SourceSettings { Name = "chat", Format = "synthetic", Count = 1 },
                new SourceSettings { Name = "negatives", Format = "synthetic", Count = 1 },
            ],
            Alignment = new AlignmentSettings { ReactFraction = 0.3, FormatFollowingCount = 4 },
            Negatives = new NegativeSettings { Count = 4, ToolsPerSample = 2, Source = "negatives" },
            Mixing = new MixingSettings { GeneralRatio = 0.5 },
        };
        return change is null ? recipe : change(recipe);
    }

    /// <summary>The generator's corpus (with its own source name), for property tests.</summary>
    public static List<Conversation> Synthetic(int count, int seed = 11) =>
        [.. SyntheticCorpus.Generate(new SyntheticOptions { Count = count, Seed = seed })];

    public static Recipe SyntheticRecipe(Func<Recipe, Recipe>? change = null)
    {
        var recipe = new Recipe
        {
            Name = "synthetic-transforms",
            FilePath = Path.Combine(Path.GetTempPath(), "synthetic.recipe.yaml"),
            Seed = 5,
            Sources = [new SourceSettings { Name = SyntheticCorpus.SourceName, Format = "synthetic", Count = 1 }],
            Alignment = new AlignmentSettings { ReactFraction = 0.1, FormatFollowingCount = 40 },
            Negatives = new NegativeSettings { Ratio = 0.2 },
            Mixing = new MixingSettings { GeneralRatio = 1.0 },
        };
        return change is null ? recipe : change(recipe);
    }
}
