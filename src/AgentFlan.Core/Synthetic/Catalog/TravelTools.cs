using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class TravelTools
{
    private static readonly string[] Airlines = ["AF", "LH", "BA", "IB", "KL", "UA", "DL", "NH", "SQ", "EK", "TP", "SK"];
    private static readonly string[] HotelWords = ["Grand", "Harbour", "Park", "Central", "Garden", "Riverside", "Old Town", "Skyline"];
    private static readonly string[] Amenities = ["wifi", "breakfast", "pool", "gym", "parking", "spa"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "search_flights",
            Domain = "travel",
            Description = "Search one-way flights between two airports on a date.",
            Parameters = Object(
                Req("origin", String("IATA code of the departure airport")),
                Req("destination", String("IATA code of the arrival airport")),
                Req("date", Date("Departure date, YYYY-MM-DD")),
                Opt("passengers", Integer("Number of passengers", 1, 9)),
                Opt("cabin", Enum("Cabin class", "economy", "premium_economy", "business", "first"))),
            Purpose = "search flights from {origin} to {destination} on {date}",
            Phrasings =
            [
                "Find me flights from {origin} to {destination} on {date}.",
                "Are there any flights {origin} to {destination} on {date}?",
                "I need to fly from {origin} to {destination} on {date} with {passengers} passengers. What's available?",
                "Search {cabin} flights from {origin} to {destination} for {date}.",
                "Can you look up flights leaving {origin} for {destination} on {date}, {cabin} class, {passengers} people?",
                "What flights go from {origin} to {destination} on {date}?",
                "Show flights between {origin} and {destination} on {date} for {passengers}.",
                "Book-free search: flights {origin} → {destination}, {date}, {cabin}.",
            ],
            HeldOutPhrasings =
            [
                "Getting from {origin} to {destination} by air on {date} — options?",
                "Which planes leave {origin} for {destination} on {date}?",
            ],
            Sample = (rng, s) =>
            {
                var pair = rng.PickDistinct(ValuePools.Airports, 2);
                Airport(rng, s, "origin", pair[0]);
                Airport(rng, s, "destination", pair[1]);
                ValuePools.Date(rng, s, "date");
                s.Set("passengers", rng.Range(1, 4));
                var cabin = rng.Pick(new[] { "economy", "premium_economy", "business", "first" });
                s.Set("cabin", JsonValue.Create(cabin), cabin.Replace('_', ' '));
            },
            Run = (rng, a) =>
            {
                var flights = new JsonArray();
                for (var i = 0; i < 2; i++)
                {
                    var hour = rng.Range(6, 20);
                    flights.Add(new JsonObject
                    {
                        ["flight"] = $"{rng.Pick(Airlines)}{rng.Range(100, 9899)}",
                        ["departs"] = $"{hour:00}:{5 * rng.Next(12):00}",
                        ["arrives"] = $"{(hour + rng.Range(1, 4)) % 24:00}:{5 * rng.Next(12):00}",
                        ["price"] = (double)rng.Range(59, 1400),
                    });
                }

                return new JsonObject { ["flights"] = flights, ["currency"] = "EUR" };
            },
            Answers =
            [
                "I found these flights (flight, departs, arrives, price in {r.currency}):{r.flights}",
                "Here are the options from {origin} to {destination} on {date}, prices in {r.currency}:{r.flights}",
            ],
            FollowUpSlot = "destination",
        },
        new()
        {
            Name = "find_hotels",
            Domain = "travel",
            Description = "Find hotels in a city for a stay, with optional price cap and required amenities.",
            Parameters = Object(
                Req("city", String("The city to stay in")),
                Req("check_in", Date("Check-in date, YYYY-MM-DD")),
                Req("nights", Integer("Number of nights", 1, 30)),
                Opt("max_price", Number("Maximum price per night in EUR", 0)),
                Opt("amenities", Array("Amenities the hotel must have", Enum("An amenity", Amenities)))),
            Purpose = "find hotels in {city} for {nights} nights from {check_in}",
            Phrasings =
            [
                "Find me a hotel in {city} for {nights} nights starting {check_in}.",
                "I need somewhere to stay in {city} from {check_in}, {nights} nights, under {max_price} euros a night.",
                "Any hotels in {city} with {amenities}? Checking in {check_in} for {nights} nights.",
                "Look for hotels in {city}: check-in {check_in}, {nights} nights, max {max_price} per night, must have {amenities}.",
                "Where can I stay in {city} for {nights} nights from {check_in}?",
                "Hotels in {city}, {nights} nights from {check_in}, please.",
                "I'm arriving in {city} on {check_in} and staying {nights} nights. Any hotels with {amenities}?",
            ],
            HeldOutPhrasings = ["Book-hunting: {nights} nights in {city} from {check_in}, nothing above {max_price} a night."],
            Sample = (rng, s) =>
            {
                s.Set("city", rng.Pick(ValuePools.Cities));
                ValuePools.Date(rng, s, "check_in");
                s.Set("nights", rng.Range(1, 7));
                s.Set("max_price", (double)(rng.Range(6, 30) * 10));
                var wanted = rng.PickDistinct(Amenities, rng.Range(1, 2));
                s.Set("amenities", ValuePools.Strings(wanted), Render.Join(wanted));
            },
            Run = (rng, a) =>
            {
                var hotels = new JsonArray();
                var cap = a["max_price"]?.GetValue<double>() ?? 300;
                foreach (var word in rng.PickDistinct(HotelWords, 2))
                {
                    hotels.Add(new JsonObject
                    {
                        ["name"] = $"Hotel {word}",
                        ["price_per_night"] = (double)rng.Range(40, (int)cap),
                        ["rating"] = rng.Range(3.5, 5.0, 1),
                    });
                }

                return new JsonObject { ["hotels"] = hotels };
            },
            Answers =
            [
                "These hotels in {city} match (name, price per night, rating):{r.hotels}",
                "I found two places to stay in {city} from {check_in}:{r.hotels}",
                "Available in {city} ({nights} nights from {check_in}):{r.hotels}",
            ],
            FollowUpSlot = "city",
        },
        new()
        {
            Name = "estimate_travel_time",
            Domain = "travel",
            Description = "Estimate distance and travel time between two places for a mode of transport.",
            Parameters = Object(
                Req("origin", String("Start address or place")),
                Req("destination", String("End address or place")),
                Req("mode", Enum("Mode of transport", "driving", "walking", "cycling", "transit"))),
            Purpose = "estimate the {mode} time from {origin} to {destination}",
            Phrasings =
            [
                "How long does it take to get from {origin} to {destination} by {mode.text}?",
                "What's the {mode} time between {origin} and {destination}?",
                "If I go {mode.text} from {origin} to {destination}, how long will it take?",
                "Estimate the trip from {origin} to {destination}, {mode}.",
                "How far is {destination} from {origin} {mode.text}?",
                "Travel time from {origin} to {destination} by {mode.text}?",
                "How long is the {mode} route from {origin} to {destination}?",
            ],
            HeldOutPhrasings = ["Door to door, {origin} → {destination}, going {mode.text}: how long?"],
            Sample = (rng, s) =>
            {
                var places = rng.PickDistinct(ValuePools.Cities, 2);
                s.Set("origin", places[0]);
                s.Set("destination", places[1]);
                var mode = rng.Pick(new[] { "driving", "walking", "cycling", "transit" });
                s.Set("mode", mode);
                s.Text("mode.text", mode switch { "driving" => "car", "walking" => "on foot", "cycling" => "bike", _ => "public transport" });
            },
            Run = (rng, a) =>
            {
                var km = rng.Range(3.0, 900.0, 1);
                var speed = a["mode"]!.GetValue<string>() switch { "walking" => 5, "cycling" => 18, "transit" => 45, _ => 70 };
                return new JsonObject { ["distance_km"] = km, ["duration_minutes"] = (int)Math.Ceiling(km / speed * 60) };
            },
            Answers =
            [
                "It's {r.distance_km} km from {origin} to {destination}; {mode} takes about {r.duration_minutes} minutes.",
                "Expect roughly {r.duration_minutes} minutes for the {r.distance_km} km trip.",
                "By {mode} it's about {r.duration_minutes} minutes ({r.distance_km} km).",
            ],
            FollowUpSlot = "destination",
        },
        new()
        {
            Name = "get_visa_requirements",
            Domain = "travel",
            Description = "Check whether a visa is needed to visit a country with a given citizenship.",
            Parameters = Object(
                Req("citizenship", String("The traveller's country of citizenship")),
                Req("destination_country", String("The country to visit")),
                Opt("stay_days", Integer("Length of stay in days", 1, 365))),
            HeldOut = true,
            Purpose = "check visa rules for a {citizenship} citizen visiting {destination_country}",
            Phrasings =
            [
                "Do I need a visa for {destination_country}? I'm a {citizenship} citizen.",
                "Visa requirements for {citizenship} passport holders going to {destination_country} for {stay_days} days?",
                "I hold a {citizenship} passport. Can I visit {destination_country} without a visa?",
            ],
            Sample = (rng, s) =>
            {
                var countries = rng.PickDistinct(Countries, 2);
                s.Set("citizenship", countries[0]);
                s.Set("destination_country", countries[1]);
                s.Set("stay_days", rng.Range(5, 60));
            },
            Run = (rng, a) => new JsonObject
            {
                ["visa_required"] = rng.Chance(0.4) ? "yes" : "no",
                ["max_visa_free_days"] = rng.Pick(new[] { 30, 60, 90 }),
            },
            Answers = ["Visa required: {r.visa_required}. Visa-free stays are limited to {r.max_visa_free_days} days for {citizenship} citizens in {destination_country}."],
        },
    ];

    private static readonly string[] Countries = ["France", "Japan", "Brazil", "Canada", "India", "Kenya", "Mexico", "Germany", "Australia", "Thailand"];

    private static void Airport(SampleRandom rng, Slots s, string name, (string Code, string City) airport) =>
        s.Set(name, JsonValue.Create(airport.Code), rng.Next(3) switch
        {
            0 => airport.Code,
            1 => $"{airport.City} ({airport.Code})",
            _ => $"{airport.City} {airport.Code}",
        });
}
