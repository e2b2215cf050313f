using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class KnowledgeTools
{
    private static readonly Dictionary<string, (string Pos, string Definition)> Definitions = new()
    {
        ["ephemeral"] = ("adjective", "lasting for a very short time"),
        ["ubiquitous"] = ("adjective", "present or found everywhere"),
        ["serendipity"] = ("noun", "finding something good without looking for it"),
        ["pragmatic"] = ("adjective", "dealing with things sensibly and realistically"),
        ["meticulous"] = ("adjective", "showing great attention to detail"),
        ["resilient"] = ("adjective", "able to recover quickly from difficulties"),
        ["ambiguous"] = ("adjective", "open to more than one interpretation"),
        ["candid"] = ("adjective", "truthful and straightforward"),
        ["eloquent"] = ("adjective", "fluent and persuasive in speaking or writing"),
        ["frugal"] = ("adjective", "careful and economical with money or food"),
        ["gregarious"] = ("adjective", "fond of company; sociable"),
        ["lucid"] = ("adjective", "expressed clearly; easy to understand"),
        ["nostalgia"] = ("noun", "a sentimental longing for the past"),
        ["obsolete"] = ("adjective", "no longer produced or used; out of date"),
        ["paradox"] = ("noun", "a statement that seems to contradict itself but may be true"),
        ["quaint"] = ("adjective", "attractively unusual or old-fashioned"),
        ["tenacious"] = ("adjective", "holding firmly to something; persistent"),
        ["verbose"] = ("adjective", "using more words than needed"),
        ["whimsical"] = ("adjective", "playfully quaint or fanciful"),
        ["zealous"] = ("adjective", "having great energy for a cause or objective"),
    };

    private static readonly Dictionary<string, string[]> Translations = new()
    {
        ["Where is the train station?"] = ["Où est la gare ?", "¿Dónde está la estación de tren?", "Wo ist der Bahnhof?"],
        ["Thank you for your help"] = ["Merci pour votre aide", "Gracias por tu ayuda", "Danke für Ihre Hilfe"],
        ["I would like a table for two"] = ["Je voudrais une table pour deux", "Quisiera una mesa para dos", "Ich hätte gern einen Tisch für zwei"],
        ["How much does this cost?"] = ["Combien ça coûte ?", "¿Cuánto cuesta esto?", "Wie viel kostet das?"],
        ["See you tomorrow morning"] = ["À demain matin", "Hasta mañana por la mañana", "Bis morgen früh"],
        ["Can I pay by card?"] = ["Puis-je payer par carte ?", "¿Puedo pagar con tarjeta?", "Kann ich mit Karte zahlen?"],
    };

    private static readonly string[] TargetLanguages = ["French", "Spanish", "German"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "web_search",
            Domain = "search",
            Description = "Search the web and return the top results.",
            Parameters = Object(Req("query", String("The search query")), Opt("max_results", Integer("How many results to return", 1, 10))),
            Purpose = "search the web for {query}",
            Phrasings =
            [
                "Search the web for {query}.",
                "Can you look up {query} online?",
                "Find me the top {max_results} results about {query}.",
                "Google {query} for me.",
                "What comes up if you search for {query}? Give me {max_results} links.",
                "Look up {query} on the internet.",
                "Search online for {query} and show me {max_results} results.",
            ],
            HeldOutPhrasings = ["Dig up a few pages on {query}, say {max_results}."],
            Sample = (rng, s) =>
            {
                s.Set("query", rng.Pick(ValuePools.Topics));
                s.Set("max_results", rng.Range(2, 3));
            },
            Run = (rng, a) =>
            {
                var q = a["query"]!.GetValue<string>();
                var slug = q.Replace("the ", string.Empty, StringComparison.Ordinal).Replace(' ', '-');
                var results = new JsonArray();
                var sites = new[] { "news.example.org", "wiki.example.com", "blog.example.net", "science.example.edu" };
                foreach (var site in rng.PickDistinct(sites, a["max_results"]?.GetValue<int>() ?? 2))
                {
                    results.Add(new JsonObject { ["title"] = $"{Template.Capitalize(q)}: {rng.Pick(Angles)}", ["url"] = $"https://{site}/{slug}" });
                }

                return new JsonObject { ["results"] = results };
            },
            Answers =
            [
                "Here's what I found for {query}:{r.results}",
                "Top results for \"{query}\" (title, link):{r.results}",
                "Search results for {query}:{r.results}",
            ],
            FollowUpSlot = "query",
        },
        new()
        {
            Name = "get_news_headlines",
            Domain = "search",
            Description = "Get the latest news headlines on a topic.",
            Parameters = Object(Req("topic", String("The news topic")), Opt("limit", Integer("Maximum number of headlines", 1, 10))),
            Purpose = "fetch the latest headlines about {topic}",
            Phrasings =
            [
                "What's the latest news on {topic}?",
                "Give me {limit} headlines about {topic}.",
                "Any news about {topic} today?",
                "Catch me up on {topic}: top {limit} stories.",
                "Headlines for {topic}, please.",
                "What's happening with {topic}? Top {limit} headlines.",
                "Show me today's news about {topic}.",
            ],
            HeldOutPhrasings = ["What are people reporting about {topic} lately?"],
            Sample = (rng, s) =>
            {
                s.Set("topic", rng.Pick(ValuePools.Topics));
                s.Set("limit", rng.Range(2, 3));
            },
            Run = (rng, a) => new JsonObject
            {
                ["headlines"] = ValuePools.Strings(rng.PickDistinct(Angles, a["limit"]?.GetValue<int>() ?? 2)
                    .Select(angle => $"{Template.Capitalize(a["topic"]!.GetValue<string>())}: {angle}")),
            },
            Answers =
            [
                "The latest on {topic}: {r.headlines}.",
                "Top headlines about {topic}: {r.headlines}.",
                "News about {topic}: {r.headlines}.",
            ],
            FollowUpSlot = "topic",
        },
        new()
        {
            Name = "define_word",
            NeedsTool = false,
            Domain = "search",
            Description = "Look up the dictionary definition of an English word.",
            Parameters = Object(Req("word", String("The word to define"))),
            Purpose = "look up the definition of \"{word}\"",
            Phrasings =
            [
                "What does \"{word}\" mean?",
                "Define {word}.",
                "Can you look up the word \"{word}\" in the dictionary?",
                "I saw the word \"{word}\" in a book. What's the definition?",
                "meaning of {word}",
                "What's the definition of \"{word}\"?",
                "Explain the word {word}.",
            ],
            HeldOutPhrasings = ["Is \"{word}\" a compliment? What does it mean exactly?"],
            Sample = (rng, s) => s.Set("word", rng.Pick(ValuePools.Words)),
            Run = (rng, a) =>
            {
                var word = a["word"]!.GetValue<string>();
                var (pos, definition) = Definitions[word];
                return new JsonObject { ["word"] = word, ["part_of_speech"] = pos, ["definition"] = definition };
            },
            Answers =
            [
                "\"{r.word}\" ({r.part_of_speech}) means {r.definition}.",
                "{r.word}, {r.part_of_speech}: {r.definition}.",
                "The word \"{r.word}\" is a {r.part_of_speech} meaning {r.definition}.",
            ],
            FollowUpSlot = "word",
        },
        new()
        {
            Name = "translate_text",
            NeedsTool = false,
            Domain = "search",
            Description = "Translate a short text into another language.",
            Parameters = Object(
                Req("text", String("The text to translate")),
                Req("target_language", Enum("Language to translate into", TargetLanguages)),
                Opt("formal", Boolean("Use the formal register where the language has one"))),
            Purpose = "translate \"{text}\" into {target_language}",
            Phrasings =
            [
                "How do you say \"{text}\" in {target_language}?",
                "Translate \"{text}\" into {target_language}.",
                "Can you put \"{text}\" into {target_language}, {formal}?",
                "\"{text}\" in {target_language}, please.",
                "I need \"{text}\" translated to {target_language} ({formal}).",
                "Translate this into {target_language}: \"{text}\"",
                "Say \"{text}\" in {target_language}, {formal}.",
            ],
            HeldOutPhrasings = ["What would a {target_language} speaker say for \"{text}\"?"],
            Sample = (rng, s) =>
            {
                s.Set("text", rng.Pick(Translations.Keys.ToList()));
                s.Set("target_language", rng.Pick(TargetLanguages));
                var formal = rng.Chance(0.5);
                s.Set("formal", JsonValue.Create(formal), formal ? "formal register" : "casual register");
            },
            Run = (rng, a) => new JsonObject
            {
                ["translation"] = Translations[a["text"]!.GetValue<string>()][System.Array.IndexOf(TargetLanguages, a["target_language"]!.GetValue<string>())],
            },
            Answers =
            [
                "In {target_language}: \"{r.translation}\"",
                "\"{text}\" in {target_language} is \"{r.translation}\".",
                "Here it is in {target_language}: \"{r.translation}\".",
            ],
            FollowUpSlot = "target_language",
        },
        new()
        {
            Name = "get_encyclopedia_summary",
            Domain = "search",
            Description = "Get a short encyclopedia summary of a topic.",
            Parameters = Object(Req("title", String("The article title")), Opt("sentences", Integer("Number of sentences", 1, 5))),
            HeldOut = true,
            Purpose = "get an encyclopedia summary of {title}",
            Phrasings = ["Give me a quick encyclopedia summary of {title}.", "What's the short version of the {title} article?", "Summarise {title} in {sentences} sentences from the encyclopedia."],
            Sample = (rng, s) =>
            {
                s.Set("title", rng.Pick(new[] { "Photosynthesis", "The Great Wall of China", "Jazz", "Plate tectonics", "The Renaissance" }));
                s.Set("sentences", rng.Range(1, 2));
            },
            Run = (rng, a) => new JsonObject
            {
                ["summary"] = $"{a["title"]!.GetValue<string>()} is covered in detail in the encyclopedia entry {rng.Range(1000, 9999)}.",
            },
            Answers = ["Summary: {r.summary}"],
        },
    ];

    private static readonly string[] Angles =
    [
        "what experts expect next", "five things to know", "a new report explained", "the debate heats up",
        "record numbers this year", "what it means for you", "a beginner's guide",
    ];
}
