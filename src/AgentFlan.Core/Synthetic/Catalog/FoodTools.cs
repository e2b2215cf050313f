using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class FoodTools
{
    private static readonly string[] Diets = ["vegetarian", "vegan", "gluten-free", "dairy-free"];
    private static readonly string[] RestaurantWords = ["Olive", "Saffron", "Bamboo", "Copper", "Fig", "Lantern", "Juniper", "Sage"];
    private static readonly string[] Pantry = ["onion", "garlic", "olive oil", "tomatoes", "rice", "eggs", "flour", "butter", "lemon", "spinach", "chickpeas", "ginger"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "find_restaurants",
            Domain = "food",
            Description = "Find restaurants in a city by cuisine.",
            Parameters = Object(
                Req("city", String("The city")),
                Req("cuisine", Enum("Type of food", ValuePools.Cuisines)),
                Opt("price_level", Integer("1 (cheap) to 4 (very expensive)", 1, 4)),
                Opt("open_now", Boolean("Only restaurants open right now"))),
            Purpose = "find {cuisine} restaurants in {city}",
            Phrasings =
            [
                "Any good {cuisine} restaurants in {city}?",
                "Find me a place serving {cuisine} food in {city}, price level {price_level}.",
                "I'm craving {cuisine} food in {city}. Where should I go?",
                "Recommend {cuisine} restaurants in {city}, {open_now}.",
                "Where can I eat {cuisine} in {city}? Budget level {price_level} out of 4.",
                "{cuisine} food near {city}, {open_now}",
                "Where can I get good {cuisine} food in {city}?",
            ],
            HeldOutPhrasings = ["Dinner tonight in {city}: something {cuisine}, price level {price_level}?"],
            Sample = (rng, s) =>
            {
                s.Set("city", rng.Pick(ValuePools.Cities));
                s.Set("cuisine", rng.Pick(ValuePools.Cuisines));
                s.Set("price_level", rng.Range(1, 4));
                var open = rng.Chance(0.6);
                s.Set("open_now", JsonValue.Create(open), open ? "open right now" : "open or not");
            },
            Run = (rng, a) =>
            {
                var list = new JsonArray();
                foreach (var word in rng.PickDistinct(RestaurantWords, 2))
                {
                    list.Add(new JsonObject { ["name"] = $"The {word}", ["rating"] = rng.Range(3.6, 4.9, 1), ["address"] = $"{rng.Range(1, 220)} {rng.Pick(Streets)}" });
                }

                return new JsonObject { ["restaurants"] = list };
            },
            Answers =
            [
                "Here are some {cuisine} spots in {city} (name, rating, address):{r.restaurants}",
                "Good options in {city}:{r.restaurants}",
                "Top {cuisine} picks in {city}:{r.restaurants}",
            ],
            FollowUpSlot = "cuisine",
        },
        new()
        {
            Name = "get_recipe",
            NeedsTool = false,
            Domain = "food",
            Description = "Get a recipe for a dish, scaled to a number of servings.",
            Parameters = Object(
                Req("dish", String("The dish")),
                Opt("servings", Integer("Number of servings", 1, 12)),
                Opt("dietary", Array("Dietary restrictions to respect", Enum("A restriction", Diets)))),
            Purpose = "find a recipe for {dish}",
            Phrasings =
            [
                "How do I make {dish}?",
                "Give me a recipe for {dish} for {servings} people.",
                "I want to cook {dish} but it has to be {dietary}. Recipe?",
                "Find a recipe for {dish} that is {dietary} and serves {servings}.",
                "Recipe for {dish}, please.",
                "What do I need for {dish}?",
                "Teach me how to cook {dish} for {servings}.",
            ],
            HeldOutPhrasings = ["Teach me {dish} — {servings} servings."],
            Sample = (rng, s) =>
            {
                s.Set("dish", rng.Pick(ValuePools.Dishes));
                s.Set("servings", rng.Range(2, 6));
                var diets = rng.PickDistinct(Diets, 1);
                s.Set("dietary", ValuePools.Strings(diets), Render.Join(diets));
            },
            Run = (rng, a) => new JsonObject
            {
                ["ingredients"] = ValuePools.Strings(rng.PickDistinct(Pantry, 4)),
                ["minutes"] = rng.Range(20, 90),
                ["servings"] = a["servings"]?.GetValue<int>() ?? 4,
            },
            Answers =
            [
                "For {dish} ({r.servings} servings) you'll need {r.ingredients}. It takes about {r.minutes} minutes.",
                "{dish}: about {r.minutes} minutes, serves {r.servings}. Ingredients: {r.ingredients}.",
                "{dish} for {r.servings}: {r.ingredients}; about {r.minutes} minutes.",
            ],
            FollowUpSlot = "dish",
        },
        new()
        {
            Name = "book_table",
            Domain = "food",
            Description = "Reserve a table at a restaurant.",
            Parameters = Object(
                Req("restaurant", String("Restaurant name")),
                Req("date", Date("Date, YYYY-MM-DD")),
                Req("time", Time("Time, HH:MM (24h)")),
                Req("party_size", Integer("Number of guests", 1, 20)),
                Opt("notes", String("Special requests"))),
            Purpose = "book a table for {party_size} at {restaurant} on {date} at {time}",
            Phrasings =
            [
                "Book a table for {party_size} at {restaurant} on {date} at {time}.",
                "Can you reserve {restaurant} for {party_size} people, {date}, {time}?",
                "Table for {party_size} at {restaurant}, {date} at {time}. Note: {notes}.",
                "I'd like a reservation at {restaurant} on {date} at {time} for {party_size}.",
                "Reserve a table at {restaurant} for {party_size} on {date} at {time}.",
                "Make a booking at {restaurant}: {party_size} people, {date}, {time}, note \"{notes}\".",
            ],
            HeldOutPhrasings = ["Get us into {restaurant} — {party_size} of us, {date}, {time}."],
            Sample = (rng, s) =>
            {
                s.Set("restaurant", $"The {rng.Pick(RestaurantWords)}");
                ValuePools.Date(rng, s, "date");
                ValuePools.Time(rng, s, "time");
                s.Set("party_size", rng.Range(2, 8));
                s.Set("notes", rng.Pick(new[] { "window seat", "high chair needed", "birthday celebration", "quiet corner" }));
            },
            Run = (rng, a) => new JsonObject { ["confirmation"] = $"R{rng.Range(100000, 999999)}", ["status"] = "confirmed" },
            Answers =
            [
                "Your table for {party_size} at {restaurant} is {r.status}: {date} at {time}, confirmation {r.confirmation}.",
                "Booked! Confirmation {r.confirmation} ({r.status}).",
                "Reservation {r.confirmation} at {restaurant} is {r.status} for {party_size} on {date} at {time}.",
            ],
        },
        new()
        {
            Name = "get_nutrition_facts",
            Domain = "food",
            Description = "Get nutrition facts for a food and portion size.",
            Parameters = Object(Req("food", String("The food")), Req("grams", Number("Portion size in grams", 1))),
            HeldOut = true,
            Purpose = "get nutrition facts for {grams} g of {food}",
            Phrasings = ["How many calories are in {grams} g of {food}?", "Nutrition info for {grams} grams of {food}?", "What's in {grams}g of {food}, nutritionally?"],
            Sample = (rng, s) =>
            {
                s.Set("food", rng.Pick(new[] { "oats", "salmon", "almonds", "brown rice", "avocado", "greek yogurt" }));
                s.Set("grams", (double)(rng.Range(2, 20) * 10));
            },
            Run = (rng, a) => new JsonObject { ["calories"] = rng.Range(30, 700), ["protein_g"] = rng.Range(0.5, 40.0, 1) },
            Answers = ["{grams} g of {food} has {r.calories} kcal and {r.protein_g} g of protein."],
        },
    ];

    private static readonly string[] Streets = ["Market Street", "Rue Cler", "Calle Mayor", "King Street", "Canal Road", "Hill Avenue"];
}
