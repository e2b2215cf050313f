using System.Text.Json.Nodes;

namespace AgentFlan.Synthetic;

/// <summary>Terse builders for the JSON-schema fragments the catalogue's tools declare.</summary>
internal static class Schema
{
    public static JsonObject Object(params (string Name, JsonObject Schema, bool Required)[] properties) =>
        Object(null, properties);

    public static JsonObject Object(string? description, params (string Name, JsonObject Schema, bool Required)[] properties)
    {
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, schema, isRequired) in properties)
        {
            props[name] = schema;
            if (isRequired)
            {
                required.Add(name);
            }
        }

        var result = new JsonObject { ["type"] = "object" };
        if (description is not null)
        {
            result["description"] = description;
        }

        result["properties"] = props;
        result["required"] = required;
        return result;
    }

    public static (string, JsonObject, bool) Req(string name, JsonObject schema) => (name, schema, true);

    public static (string, JsonObject, bool) Opt(string name, JsonObject schema) => (name, schema, false);

    public static JsonObject String(string description) => new() { ["type"] = "string", ["description"] = description };

    public static JsonObject Date(string description) =>
        new() { ["type"] = "string", ["format"] = "date", ["description"] = description };

    public static JsonObject Time(string description) =>
        new() { ["type"] = "string", ["pattern"] = "^[0-2][0-9]:[0-5][0-9]$", ["description"] = description };

    public static JsonObject Number(string description, double? minimum = null, double? maximum = null) =>
        Bounded(new JsonObject { ["type"] = "number", ["description"] = description }, minimum, maximum);

    public static JsonObject Integer(string description, int? minimum = null, int? maximum = null) =>
        Bounded(new JsonObject { ["type"] = "integer", ["description"] = description }, minimum, maximum);

    public static JsonObject Boolean(string description) => new() { ["type"] = "boolean", ["description"] = description };

    public static JsonObject Enum(string description, params string[] values) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()), ["description"] = description };

    public static JsonObject Array(string description, JsonObject items, int? minItems = null)
    {
        var result = new JsonObject { ["type"] = "array", ["description"] = description, ["items"] = items };
        if (minItems is { } min)
        {
            result["minItems"] = min;
        }

        return result;
    }

    private static JsonObject Bounded(JsonObject schema, double? minimum, double? maximum)
    {
        if (minimum is { } min)
        {
            schema["minimum"] = min;
        }

        if (maximum is { } max)
        {
            schema["maximum"] = max;
        }

        return schema;
    }
}
