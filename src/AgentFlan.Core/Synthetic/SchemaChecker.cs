using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentFlan.Synthetic;

/// <summary>
/// Checks a JSON value against the subset of JSON Schema the catalogue uses: type, properties, required,
/// additionalProperties (false), enum, items, minItems, minimum, maximum, pattern and format "date".
/// Returns every violation with its JSON path, so a test failure says exactly what is wrong.
/// </summary>
public static class SchemaChecker
{
    public static IReadOnlyList<string> Validate(JsonNode? value, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();
        Check(value, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (schema["type"]?.GetValue<string>() is { } type && !HasType(value, type))
        {
            errors.Add($"{path}: expected {type}, got {Describe(value)}");
            return;
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
        {
            errors.Add($"{path}: {value?.ToJsonString()} is not one of {options.ToJsonString()}");
        }

        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject ?? [];
                foreach (var name in schema["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
                {
                    if (!obj.ContainsKey(name))
                    {
                        errors.Add($"{path}: missing required property '{name}'");
                    }
                }

                foreach (var (name, child) in obj)
                {
                    if (properties[name] is JsonObject childSchema)
                    {
                        Check(child, childSchema, $"{path}.{name}", errors);
                    }
                    else if (schema["additionalProperties"] is JsonValue extra && !extra.GetValue<bool>())
                    {
                        errors.Add($"{path}: unexpected property '{name}'");
                    }
                }

                break;
            case JsonArray array:
                if (schema["minItems"] is JsonValue min && array.Count < min.GetValue<int>())
                {
                    errors.Add($"{path}: {array.Count} items, fewer than {min}");
                }

                if (schema["items"] is JsonObject itemSchema)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        Check(array[i], itemSchema, $"{path}[{i}]", errors);
                    }
                }

                break;
            case JsonValue v when v.TryGetValue(out string? s):
                if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(s, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    errors.Add($"{path}: '{s}' does not match {pattern}");
                }

                if (schema["format"]?.GetValue<string>() == "date" &&
                    !DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    errors.Add($"{path}: '{s}' is not a YYYY-MM-DD date");
                }

                break;
            case JsonValue v when Number(v) is { } number:
                if (schema["minimum"] is JsonValue lo && number < lo.GetValue<double>())
                {
                    errors.Add($"{path}: {number} is below the minimum {lo}");
                }

                if (schema["maximum"] is JsonValue hi && number > hi.GetValue<double>())
                {
                    errors.Add($"{path}: {number} is above the maximum {hi}");
                }

                break;
            default:
                break;
        }
    }

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.TryGetValue(out string? _),
        "boolean" => value is JsonValue v && v.TryGetValue(out bool _),
        "number" => value is JsonValue v && Number(v) is not null,
        "integer" => value is JsonValue v && Number(v) is { } d && Math.Floor(d) == d,
        "null" => value is null,
        _ => true,
    };

    private static double? Number(JsonValue value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.Number ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.GetValueKind().ToString().ToLowerInvariant() + " " + value.ToJsonString(),
    };
}
