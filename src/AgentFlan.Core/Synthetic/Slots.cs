using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentFlan.Synthetic;

/// <summary>
/// The values drawn for one query: each slot has the text a user would type and, when it is a tool
/// argument, the JSON value the call must carry. Slots named <c>param.part</c> are text-only views of a
/// structured argument, so a template can mention part of a nested object.
/// </summary>
internal sealed class Slots
{
    private readonly Dictionary<string, string> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _json = new(StringComparer.Ordinal);

    public string this[string name] => _text[name];

    public void Set(string name, string value) => Set(name, JsonValue.Create(value), value);

    public void Set(string name, int value) => Set(name, JsonValue.Create(value), value.ToString(CultureInfo.InvariantCulture));

    public void Set(string name, double value) => Set(name, JsonValue.Create(value), Render.Number(value));

    public void Set(string name, JsonNode? json, string text)
    {
        _json[name] = json;
        _text[name] = text;
    }

    /// <summary>Text the templates may use that is not itself an argument.</summary>
    public void Text(string name, string text) => _text[name] = text;

    public bool TryGetText(string name, out string text) => _text.TryGetValue(name, out text!);

    public bool HasArgument(string name) => _json.ContainsKey(name);

    /// <summary>A fresh copy of the argument value (JSON nodes can have only one parent).</summary>
    public JsonNode? Argument(string name) => _json[name]?.DeepClone();

    public Slots Clone()
    {
        var copy = new Slots();
        foreach (var (k, v) in _text)
        {
            copy._text[k] = v;
        }

        foreach (var (k, v) in _json)
        {
            copy._json[k] = v?.DeepClone();
        }

        return copy;
    }

    /// <summary>Takes <paramref name="name"/> and its <c>name.part</c> views from <paramref name="other"/>.</summary>
    public void TakeFrom(Slots other, string name)
    {
        foreach (var (k, v) in other._text)
        {
            if (k == name || k.StartsWith(name + ".", StringComparison.Ordinal))
            {
                _text[k] = v;
            }
        }

        if (other._json.TryGetValue(name, out var json))
        {
            _json[name] = json?.DeepClone();
        }
    }
}
