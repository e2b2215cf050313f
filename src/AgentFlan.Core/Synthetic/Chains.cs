using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Synthetic;

/// <summary>
/// Multi-step requests whose second call takes an argument from the first call's result (the cheapest
/// product, the best-rated restaurant, a stock price, a matching file), so the model must read results.
/// </summary>
internal static class Chains
{
    /// <summary>
    /// A two-step chain. <see cref="FirstArgs"/> and <see cref="SecondArgs"/> name the arguments each call
    /// takes (as templates); <see cref="Link"/> copies values from the first result into the second call's
    /// slots and returns the thought that explains the hand-over.
    /// </summary>
    private sealed record Chain(
        string First,
        string Second,
        string FirstArgs,
        string SecondArgs,
        string[] Requests,
        string[] HeldOutRequests,
        Func<JsonObject, Slots, string> Link);

    private static readonly Chain[] Library =
    [
        new(
            "search_products", "add_to_cart", "{query} {max_price}", "{product_id} {quantity}",
            [
                "Find {query} under {max_price} dollars and add {quantity} of the cheapest one to my cart.",
                "I need {query}, max {max_price} USD. Put {quantity} of the cheapest option in my cart.",
                "Look for {query} below {max_price} and add the cheapest to the basket, quantity {quantity}.",
            ],
            ["Cheapest {query} under {max_price}, {quantity} of them into the cart please."],
            (result, slots) =>
            {
                var cheapest = result["products"]!.AsArray().MinBy(p => p!["price"]!.GetValue<double>())!;
                slots.Set("product_id", cheapest["product_id"]!.GetValue<string>());
                return $"The cheapest is {cheapest["name"]} ({cheapest["product_id"]}) at {cheapest["price"]}. Now I'll add {slots["quantity"]} of it with add_to_cart.";
            }),
        new(
            "find_restaurants", "book_table", "{city} {cuisine}", "{restaurant} {date} {time} {party_size}",
            [
                "Find {cuisine} restaurants in {city} and book the best-rated one for {party_size} on {date} at {time}.",
                "We want {cuisine} food in {city}: reserve a table for {party_size} at whichever place rates highest, {date} at {time}.",
                "Book the top-rated {cuisine} spot in {city} for {party_size} people on {date}, {time}.",
            ],
            ["Pick the best {cuisine} place in {city} and get us a table — {party_size} people, {date}, {time}."],
            (result, slots) =>
            {
                var best = result["restaurants"]!.AsArray().MaxBy(r => r!["rating"]!.GetValue<double>())!;
                slots.Set("restaurant", best["name"]!.GetValue<string>());
                return $"{best["name"]} has the best rating ({best["rating"]}). I'll book it with book_table for {slots["party_size"]} on {slots["date"]} at {slots["time"]}.";
            }),
        new(
            "get_stock_price", "convert_currency", "{symbol}", "{amount} {from_currency} {to_currency}",
            [
                "What's {symbol} trading at, and how much is that in {to_currency}?",
                "Get the price of {company} ({symbol}) and convert it to {to_currency}.",
                "How many {to_currency} would one share of {symbol} cost me today?",
            ],
            ["One {symbol} share, priced in {to_currency}?"],
            (result, slots) =>
            {
                slots.Set("amount", result["price"]!.GetValue<double>());
                slots.Set("from_currency", result["currency"]!.GetValue<string>());
                return $"{result["symbol"]} costs {result["price"]} {result["currency"]}. Next I'll convert that amount to {slots["to_currency"]} with convert_currency.";
            }),
        new(
            "search_files", "read_file", "{query} {directory}", "{path} {max_lines}",
            [
                "Find the file in {directory} that mentions \"{query}\" and show me its first {max_lines} lines.",
                "Search {directory} for \"{query}\", then open the first match and read {max_lines} lines.",
            ],
            ["Which file in {directory} talks about \"{query}\"? Open it — first {max_lines} lines."],
            (result, slots) =>
            {
                var path = result["matches"]!.AsArray()[0]!["path"]!.GetValue<string>();
                slots.Set("path", path);
                return $"The first match is {path}. I'll read its first {slots["max_lines"]} lines with read_file.";
            }),
    ];

    public static IReadOnlyList<(string First, string Second)> Pairs { get; } = Library.Select(c => (c.First, c.Second)).ToList();

    public static IReadOnlyList<string> HeldOutRequests { get; } = Library.SelectMany(c => c.HeldOutRequests).ToList();

    public static ScenarioResult? TryBuild(ScenarioContext ctx)
    {
        var chain = ctx.Rng.Pick(Library);
        var first = ToolCatalog.Get(chain.First)!;
        var second = ToolCatalog.Get(chain.Second)!;
        if (!ctx.Allowed(first) || !ctx.Allowed(second))
        {
            return null;
        }

        var firstSlots = new Slots();
        first.Sample(ctx.Rng, firstSlots);
        var secondSlots = new Slots();
        second.Sample(ctx.Rng, secondSlots);
        var request = ctx.Rng.Pick(ctx.Split == SyntheticSplit.HeldOut ? chain.HeldOutRequests : chain.Requests);
        var query = Template.Fill(request, name =>
            firstSlots.TryGetText(name, out var a) ? a : secondSlots.TryGetText(name, out var b) ? b : null);

        var step1 = ctx.Prepare(first, firstSlots, chain.FirstArgs);
        var messages = new List<Message> { Message.User(ctx.Wrap(query)) };
        var result1 = ToolScenarios.AddCall(ctx, messages, step1, Phrasebook.FirstThoughts);
        var handOver = chain.Link(result1, secondSlots);
        var step2 = ctx.Prepare(second, secondSlots, chain.SecondArgs);
        var (call, result, result2) = ctx.Execute(step2, handOver);
        messages.Add(call);
        messages.Add(result);
        var answer = step1.Answer(ctx.Rng.Pick(first.Answers), result1) + "\n\n" + step2.Answer(ctx.Rng.Pick(second.Answers), result2);
        messages.Add(Message.Assistant(answer));
        return new(ctx.Offer([first, second], 2), messages, ConversationKind.AgentChat);
    }
}
