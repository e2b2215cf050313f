using System.Globalization;
using AgentFlan.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace AgentFlan.Recipes;

/// <summary>
/// Typed, located access to one YAML mapping. Every problem becomes a <see cref="Diagnostic"/> with the
/// file, line and column of the offending node; nothing throws, so a recipe reports all its errors at once.
/// Keys that were never asked for are reported by <see cref="ReportUnknownKeys"/> with a "did you mean".
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly RecipeReadContext _context;
    private readonly string _path;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, RecipeReadContext context, string path)
    {
        _node = node;
        _context = context;
        _path = path;
    }

    public RecipeReadContext Context => _context;

    public YamlNode Node => _node;

    public string? String(string key, string? fallback = null, bool required = false)
    {
        var value = Scalar(key, required);
        return value is null ? fallback : value.Value;
    }

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Scalar(key, required: false);
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            Error(DiagnosticCodes.WrongType, value, $"'{Qualified(key)}' must be a whole number, not '{value.Value}'.");
            return fallback;
        }

        return InRange(key, value, parsed, min, max) ? parsed : fallback;
    }

    public int? OptionalInt(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        return Has(key) ? Int(key, 0, min, max) : null;
    }

    public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        var value = Scalar(key, required: false);
        if (value is null)
        {
            return fallback;
        }

        if (!double.TryParse(value.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed))
        {
            Error(DiagnosticCodes.WrongType, value, $"'{Qualified(key)}' must be a number, not '{value.Value}'.");
            return fallback;
        }

        return InRange(key, value, parsed, min, max) ? parsed : fallback;
    }

    public bool Bool(string key, bool fallback)
    {
        var value = Scalar(key, required: false);
        if (value is null)
        {
            return fallback;
        }

        switch (value.Value)
        {
            case "true" or "True" or "yes":
                return true;
            case "false" or "False" or "no":
                return false;
            default:
                Error(DiagnosticCodes.WrongType, value, $"'{Qualified(key)}' must be true or false, not '{value.Value}'.");
                return fallback;
        }
    }

    /// <summary>A scalar that must be one of <paramref name="choices"/>.</summary>
    public string Choice(string key, string fallback, IReadOnlyCollection<string> choices)
    {
        var node = Scalar(key, required: false);
        if (node?.Value is not { } value)
        {
            return fallback;
        }

        if (!choices.Contains(value))
        {
            Error(DiagnosticCodes.UnknownName, node, $"'{Qualified(key)}' is '{value}'; expected one of: {string.Join(", ", choices)}.{DidYouMean(value, choices)}");
            return fallback;
        }

        return value;
    }

    public YamlMap? Map(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, _context, Qualified(key));
        }

        Error(DiagnosticCodes.WrongType, node, $"'{Qualified(key)}' must be a mapping (key: value lines).");
        return null;
    }

    public IReadOnlyList<YamlMap>? MapList(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(DiagnosticCodes.WrongType, node, $"'{Qualified(key)}' must be a list.");
            return null;
        }

        var maps = new List<YamlMap>();
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode item)
            {
                maps.Add(new YamlMap(item, _context, $"{Qualified(key)}[{i}]"));
            }
            else
            {
                Error(DiagnosticCodes.WrongType, sequence.Children[i], $"'{Qualified(key)}[{i}]' must be a mapping.");
            }
        }

        return maps;
    }

    public bool Has(string key)
    {
        _known.Add(key);
        _context.Keys.Add(SchemaPath(Qualified(key)));
        return _node.Children.ContainsKey(new YamlScalarNode(key));
    }

    public void Error(string code, YamlNode at, string message) => _context.Report(code, DiagnosticSeverity.Error, at, message);

    public void Warning(string code, YamlNode at, string message) => _context.Report(code, DiagnosticSeverity.Warning, at, message);

    /// <summary>A list of scalars that must each be one of <paramref name="choices"/>.</summary>
    public IReadOnlyList<string> Choices(string key, IReadOnlyList<string> fallback, IReadOnlyCollection<string> choices)
    {
        var node = Get(key);
        if (node is null)
        {
            return fallback;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(DiagnosticCodes.WrongType, node, $"'{Qualified(key)}' must be a list, for example [{string.Join(", ", choices)}].");
            return fallback;
        }

        var values = new List<string>();
        foreach (var child in sequence.Children)
        {
            if (child is YamlScalarNode { Value: { } value } && choices.Contains(value))
            {
                values.Add(value);
            }
            else
            {
                var text = (child as YamlScalarNode)?.Value ?? child.ToString();
                Error(DiagnosticCodes.UnknownName, child, $"'{Qualified(key)}' has '{text}'; expected any of: {string.Join(", ", choices)}.{DidYouMean(text, choices)}");
            }
        }

        return values;
    }

    public void ReportUnknownKeys()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (!_known.Contains(key))
            {
                Error(DiagnosticCodes.UnknownKey, keyNode, $"Unknown key '{Qualified(key)}'.{DidYouMean(key, _known)}");
            }
        }
    }

    internal static string DidYouMean(string given, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: Levenshtein(given.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, given.Length / 3))
            .OrderBy(x => x.Distance).ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is null ? string.Empty : $" Did you mean '{best.Candidate}'?";
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private YamlNode? Get(string key)
    {
        _known.Add(key);
        _context.Keys.Add(SchemaPath(Qualified(key)));
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
    }

    private YamlScalarNode? Scalar(string key, bool required)
    {
        var node = Get(key);
        if (node is null)
        {
            if (required)
            {
                Error(DiagnosticCodes.MissingKey, _node, $"'{Qualified(key)}' is required.");
            }

            return null;
        }

        if (node is YamlScalarNode scalar && scalar.Value is not null)
        {
            return scalar;
        }

        Error(DiagnosticCodes.WrongType, node, $"'{Qualified(key)}' must be a single value.");
        return null;
    }

    private bool InRange<T>(string key, YamlScalarNode at, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0)
        {
            return true;
        }

        var unbounded = max.Equals(int.MaxValue) || max.Equals(double.PositiveInfinity);
        var range = unbounded ? $"at least {min}" : $"between {min} and {max}";
        Error(DiagnosticCodes.OutOfRange, at, $"'{Qualified(key)}' is {value}; it must be {range}.");
        return false;
    }

    /// <summary><c>sources[3].path</c> → <c>sources[].path</c>: the key's place in the schema.</summary>
    private static string SchemaPath(string qualified) =>
        System.Text.RegularExpressions.Regex.Replace(qualified, @"\[[0-9]+\]", "[]");

    private string Qualified(string key) => _path.Length == 0 ? key : $"{_path}.{key}";
}
