using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentFlan.Synthetic;

/// <summary>Realistic values the slots draw from. Plain lists, so adding variety is adding a line.</summary>
internal static class ValuePools
{
    public static readonly string[] Cities =
    [
        "Paris", "Lyon", "Berlin", "Munich", "Madrid", "Lisbon", "Rome", "Milan", "Vienna", "Prague", "Warsaw",
        "Amsterdam", "Brussels", "Dublin", "Edinburgh", "London", "Oslo", "Stockholm", "Helsinki", "Copenhagen",
        "Athens", "Istanbul", "Cairo", "Nairobi", "Lagos", "Cape Town", "Casablanca", "Dubai", "Mumbai", "Delhi",
        "Bangalore", "Singapore", "Bangkok", "Hanoi", "Seoul", "Tokyo", "Osaka", "Beijing", "Shanghai", "Sydney",
        "Melbourne", "Auckland", "Toronto", "Vancouver", "Montreal", "New York", "Boston", "Chicago", "Denver",
        "Austin", "Seattle", "San Francisco", "Los Angeles", "Mexico City", "Bogota", "Lima", "Santiago",
        "Buenos Aires", "Sao Paulo", "Reykjavik",
    ];

    /// <summary>IATA code and city: flights take codes, people say either.</summary>
    public static readonly (string Code, string City)[] Airports =
    [
        ("CDG", "Paris"), ("LHR", "London"), ("FRA", "Frankfurt"), ("MAD", "Madrid"), ("FCO", "Rome"),
        ("AMS", "Amsterdam"), ("LIS", "Lisbon"), ("VIE", "Vienna"), ("ZRH", "Zurich"), ("CPH", "Copenhagen"),
        ("JFK", "New York"), ("BOS", "Boston"), ("ORD", "Chicago"), ("SFO", "San Francisco"), ("LAX", "Los Angeles"),
        ("SEA", "Seattle"), ("YYZ", "Toronto"), ("MEX", "Mexico City"), ("GRU", "Sao Paulo"), ("NRT", "Tokyo"),
        ("ICN", "Seoul"), ("SIN", "Singapore"), ("DXB", "Dubai"), ("SYD", "Sydney"), ("BOM", "Mumbai"),
        ("NBO", "Nairobi"), ("CPT", "Cape Town"), ("IST", "Istanbul"), ("DUB", "Dublin"), ("OSL", "Oslo"),
    ];

    public static readonly string[] FirstNames =
    [
        "Ana", "Ben", "Chloe", "Daniel", "Elif", "Farah", "Gabriel", "Hana", "Ivan", "Julia", "Kenji", "Lena",
        "Marco", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samuel", "Tara", "Uma", "Victor", "Wei", "Ximena",
        "Yusuf", "Zoe", "Aisha", "Bruno", "Carmen", "Diego", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas",
    ];

    public static readonly string[] LastNames =
    [
        "Garcia", "Smith", "Nguyen", "Muller", "Rossi", "Kowalski", "Silva", "Okafor", "Tanaka", "Kim", "Patel",
        "Johansson", "Dubois", "Novak", "Haddad", "Cohen", "Murphy", "Fischer", "Lopez", "Andersen",
    ];

    public static readonly string[] Currencies =
        ["USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "INR", "BRL", "MXN", "SGD", "ZAR", "KRW"];

    public static readonly (string Symbol, string Company)[] Stocks =
    [
        ("AAPL", "Apple"), ("MSFT", "Microsoft"), ("GOOGL", "Alphabet"), ("AMZN", "Amazon"), ("NVDA", "Nvidia"),
        ("TSLA", "Tesla"), ("META", "Meta"), ("NFLX", "Netflix"), ("IBM", "IBM"), ("ORCL", "Oracle"),
        ("INTC", "Intel"), ("AMD", "AMD"), ("SAP", "SAP"), ("ASML", "ASML"), ("SHEL", "Shell"), ("KO", "Coca-Cola"),
        ("PEP", "PepsiCo"), ("DIS", "Disney"), ("NKE", "Nike"), ("V", "Visa"),
    ];

    public static readonly string[] Coins = ["bitcoin", "ethereum", "solana", "cardano", "litecoin", "dogecoin", "polkadot"];

    public static readonly string[] Topics =
    [
        "renewable energy", "electric cars", "the Mars rover", "interest rates", "the World Cup", "quantum computing",
        "coral reefs", "remote work", "housing prices", "the Olympics", "artificial intelligence", "vaccines",
        "space tourism", "urban gardening", "cybersecurity", "the jazz festival", "ocean plastics", "sleep science",
    ];

    public static readonly string[] Words =
    [
        "ephemeral", "ubiquitous", "serendipity", "pragmatic", "meticulous", "resilient", "ambiguous", "candid",
        "eloquent", "frugal", "gregarious", "lucid", "nostalgia", "obsolete", "paradox", "quaint", "tenacious",
        "verbose", "whimsical", "zealous",
    ];

    public static readonly string[] Languages = ["French", "Spanish", "German", "Italian", "Portuguese", "Japanese", "Korean", "Dutch"];

    public static readonly string[] Phrases =
    [
        "Where is the train station?", "Thank you for your help", "The meeting is moved to Friday",
        "I would like a table for two", "How much does this cost?", "Happy birthday, my friend",
        "Please send me the report", "The museum opens at nine", "Can I pay by card?", "See you tomorrow morning",
    ];

    public static readonly string[] Directories =
        ["/home/ana/projects", "/var/log", "~/Documents/reports", "/srv/data", "~/Downloads", "/etc/nginx", "~/notes", "/opt/app/config"];

    public static readonly string[] FileStems =
        ["report", "budget", "notes", "invoice", "server", "readme", "changelog", "draft", "summary", "backup", "todo", "config"];

    public static readonly string[] Extensions = ["txt", "md", "csv", "json", "log", "py", "yaml", "pdf"];

    public static readonly string[] MeetingTitles =
    [
        "Team standup", "Budget review", "Dentist appointment", "Project kickoff", "Lunch with Sam", "Quarterly planning",
        "Yoga class", "Parent-teacher meeting", "Design review", "Car service", "Book club", "Interview with a candidate",
    ];

    public static readonly (string Name, string Address)[] Venues =
    [
        ("the Blue Room", "12 Harbour Street"), ("Cafe Lumen", "48 Rue Oberkampf"), ("the main office", "200 Market Street"),
        ("Room 4B", "1 Innovation Way"), ("the library", "5 Park Lane"), ("Studio North", "77 Mill Road"),
    ];

    public static readonly string[] Cuisines = ["italian", "japanese", "mexican", "indian", "thai", "french", "vegan", "chinese"];

    public static readonly string[] Dishes =
    [
        "lasagna", "pad thai", "chicken curry", "mushroom risotto", "banana bread", "shakshuka", "ramen", "falafel",
        "paella", "tomato soup", "apple pie", "beef stew",
    ];

    public static readonly string[] Products =
    [
        "wireless headphones", "running shoes", "a coffee grinder", "a standing desk", "a mechanical keyboard",
        "a rain jacket", "a yoga mat", "an electric kettle", "a backpack", "a desk lamp", "a water bottle",
    ];

    public static readonly string[] Carriers = ["ups", "fedex", "dhl", "usps"];

    public static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Person(SampleRandom rng) => $"{rng.Pick(FirstNames)} {rng.Pick(LastNames)}";

    public static string Email(string person) =>
        person.ToLowerInvariant().Replace(' ', '.') + "@example.com";

    /// <summary>A date in 2025–2026 as ISO (the argument) and as a user might write it.</summary>
    public static void Date(SampleRandom rng, Slots slots, string name)
    {
        var date = new DateOnly(2025, 1, 1).AddDays(rng.Next(730));
        var iso = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = rng.Next(3) switch
        {
            0 => iso,
            1 => $"{Months[date.Month - 1]} {date.Day}, {date.Year}",
            _ => $"{date.Day} {Months[date.Month - 1]} {date.Year}",
        };
        slots.Set(name, JsonValue.Create(iso), text);
    }

    /// <summary>A time on the quarter hour as HH:mm (the argument) and as a user might say it.</summary>
    public static void Time(SampleRandom rng, Slots slots, string name)
    {
        var hour = rng.Range(7, 20);
        var minute = 15 * rng.Next(4);
        var hhmm = $"{hour:00}:{minute:00}";
        var text = rng.Chance(0.5) ? hhmm : $"{(hour > 12 ? hour - 12 : hour)}:{minute:00} {(hour >= 12 ? "pm" : "am")}";
        slots.Set(name, JsonValue.Create(hhmm), text);
    }

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
