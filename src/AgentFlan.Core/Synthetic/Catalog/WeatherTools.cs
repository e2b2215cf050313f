using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class WeatherTools
{
    private static readonly string[] Conditions =
        ["sunny", "partly cloudy", "overcast", "light rain", "heavy rain", "foggy", "windy", "snowing", "clear", "drizzling"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "get_current_weather",
            Domain = "weather",
            Description = "Get the current weather conditions for a city.",
            Parameters = Object(
                Req("city", String("The city name, for example Paris")),
                Opt("units", Enum("Temperature units", "celsius", "fahrenheit"))),
            Purpose = "check the current weather in {city}",
            Phrasings =
            [
                "What's the weather like in {city} right now?",
                "How's the weather in {city} at the moment?",
                "Can you check the current weather in {city}?",
                "I'm heading out in {city}. What are conditions like?",
                "Tell me the weather in {city} in {units}.",
                "What is the temperature in {city} right now, in {units}?",
                "current weather {city}",
                "Do I need an umbrella in {city} today? Check the weather please.",
                "Give me the current conditions for {city}, {units} please.",
                "Is it cold in {city} today?",
                "weather in {city} pls",
                "What are the current conditions in {city}? Use {units}.",
            ],
            HeldOutPhrasings =
            [
                "My sister lives in {city} — what's it like outside there now?",
                "Weather check for {city}, temperatures in {units}.",
            ],
            Sample = (rng, s) =>
            {
                s.Set("city", rng.Pick(ValuePools.Cities));
                Units(rng, s);
            },
            Run = (rng, a) => new JsonObject
            {
                ["city"] = a["city"]!.GetValue<string>(),
                ["temperature"] = Temperature(rng, a),
                ["unit"] = Unit(a),
                ["condition"] = rng.Pick(Conditions),
                ["humidity"] = rng.Range(20, 95),
            },
            Answers =
            [
                "Right now in {r.city} it's {r.temperature}{r.unit} and {r.condition}, with humidity at {r.humidity}%.",
                "The current weather in {r.city}: {r.condition}, {r.temperature}{r.unit}, humidity {r.humidity}%.",
                "It is {r.condition} in {r.city} at the moment. The temperature is {r.temperature}{r.unit} and the humidity is {r.humidity}%.",
                "{r.city} right now: {r.temperature}{r.unit}, {r.condition}, {r.humidity}% humidity.",
            ],
            FollowUpSlot = "city",
        },
        new()
        {
            Name = "get_weather_forecast",
            Domain = "weather",
            Description = "Get a daily weather forecast for a city for the next few days.",
            Parameters = Object(
                Req("city", String("The city name")),
                Req("days", Integer("Number of days to forecast", 1, 7)),
                Opt("units", Enum("Temperature units", "celsius", "fahrenheit"))),
            Purpose = "get the {days}-day forecast for {city}",
            Phrasings =
            [
                "What's the forecast for {city} for the next {days} days?",
                "Can you get me a {days}-day weather forecast for {city}?",
                "I'm travelling to {city}. How will the weather be over the next {days} days?",
                "Forecast for {city}, {days} days, in {units}.",
                "Will it rain in {city} during the next {days} days?",
                "Show me the {days}-day outlook for {city} in {units}.",
                "Give me the weather for {city} over the next {days} days.",
                "How does the week look in {city}? I only need {days} days.",
                "{days}-day forecast for {city} please",
            ],
            HeldOutPhrasings =
            [
                "Planning a {days}-day trip to {city}; what weather should I pack for?",
                "Next {days} days in {city}, weather-wise?",
            ],
            Sample = (rng, s) =>
            {
                s.Set("city", rng.Pick(ValuePools.Cities));
                s.Set("days", rng.Range(2, 5));
                Units(rng, s);
            },
            Run = (rng, a) =>
            {
                var days = new JsonArray();
                for (var i = 1; i <= a["days"]!.GetValue<int>(); i++)
                {
                    days.Add(new JsonObject
                    {
                        ["day"] = $"day {i}",
                        ["condition"] = rng.Pick(Conditions),
                        ["high"] = Temperature(rng, a),
                        ["unit"] = Unit(a),
                    });
                }

                return new JsonObject { ["city"] = a["city"]!.GetValue<string>(), ["forecast"] = days };
            },
            Answers =
            [
                "Here is the forecast for {r.city}:{r.forecast}",
                "The next days in {r.city} look like this (condition, high):{r.forecast}",
                "Forecast for {r.city}, day by day:{r.forecast}",
            ],
            FollowUpSlot = "city",
        },
        new()
        {
            Name = "get_air_quality",
            Domain = "weather",
            Description = "Get the air quality index for a city, optionally with a pollutant breakdown.",
            Parameters = Object(
                Req("city", String("The city name")),
                Opt("include_pollutants", Boolean("Whether to include the main pollutant readings"))),
            HeldOut = true,
            Purpose = "look up the air quality in {city}",
            Phrasings =
            [
                "How's the air quality in {city} today?",
                "Is the air in {city} safe for a run? Check the AQI.",
                "What's the AQI in {city}, {include_pollutants}?",
                "Air quality report for {city} please, {include_pollutants}.",
                "Is the air clean in {city} right now?",
            ],
            Sample = (rng, s) =>
            {
                s.Set("city", rng.Pick(ValuePools.Cities));
                var detail = rng.Chance(0.7);
                s.Set("include_pollutants", JsonValue.Create(detail), detail ? "with the pollutant breakdown" : "just the index, no breakdown");
            },
            Run = (rng, a) =>
            {
                var aqi = rng.Range(12, 180);
                var result = new JsonObject
                {
                    ["city"] = a["city"]!.GetValue<string>(),
                    ["aqi"] = aqi,
                    ["category"] = aqi <= 50 ? "good" : aqi <= 100 ? "moderate" : aqi <= 150 ? "unhealthy for sensitive groups" : "unhealthy",
                };
                if (a["include_pollutants"]?.GetValue<bool>() == true)
                {
                    result["pm25"] = rng.Range(2.0, 80.0, 1);
                    result["ozone"] = rng.Range(10.0, 120.0, 1);
                }

                return result;
            },
            Answers =
            [
                "The air quality index in {r.city} is {r.aqi}, which counts as {r.category}.{r.rest}",
                "{r.city}: AQI {r.aqi} ({r.category}).{r.rest}",
            ],
        },
        new()
        {
            Name = "get_sun_times",
            Domain = "weather",
            Description = "Get sunrise and sunset times for a city on a given date.",
            Parameters = Object(
                Req("city", String("The city name")),
                Req("date", Date("The date, YYYY-MM-DD"))),
            Purpose = "find the sunrise and sunset times in {city} on {date}",
            Phrasings =
            [
                "When does the sun rise in {city} on {date}?",
                "What time is sunset in {city} on {date}?",
                "Sunrise and sunset for {city} on {date}, please.",
                "I want to photograph the sunrise in {city} on {date}. When is it?",
                "How many hours of daylight will {city} get on {date}?",
                "What time does it get dark in {city} on {date}?",
                "Tell me sunrise and sunset times for {city} on {date}.",
            ],
            HeldOutPhrasings =
            [
                "Golden hour planning: sun times in {city} for {date}?",
                "On {date}, when is first light and dusk in {city}?",
            ],
            Sample = (rng, s) =>
            {
                s.Set("city", rng.Pick(ValuePools.Cities));
                ValuePools.Date(rng, s, "date");
            },
            Run = (rng, a) => new JsonObject
            {
                ["sunrise"] = $"0{rng.Range(5, 7)}:{rng.Range(10, 59)}",
                ["sunset"] = $"{rng.Range(17, 21)}:{rng.Range(10, 59)}",
            },
            Answers =
            [
                "On {date} the sun rises in {city} at {r.sunrise} and sets at {r.sunset}.",
                "In {city} on {date}: sunrise {r.sunrise}, sunset {r.sunset}.",
                "Sunrise in {city} on {date} is at {r.sunrise}; sunset is at {r.sunset}.",
            ],
            FollowUpSlot = "city",
        },
    ];

    private static void Units(SampleRandom rng, Slots s)
    {
        var fahrenheit = rng.Chance(0.35);
        s.Set("units", JsonValue.Create(fahrenheit ? "fahrenheit" : "celsius"), fahrenheit ? "Fahrenheit" : "Celsius");
    }

    private static int Temperature(SampleRandom rng, JsonObject a)
    {
        var celsius = rng.Range(-5, 34);
        return Unit(a) == "°F" ? (celsius * 9 / 5) + 32 : celsius;
    }

    private static string Unit(JsonObject a) => a["units"]?.GetValue<string>() == "fahrenheit" ? "°F" : "°C";
}
