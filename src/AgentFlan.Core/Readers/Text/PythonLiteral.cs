using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentFlan.Readers.Text;

/// <summary>
/// Parses the Python literals that ToolBench writes with <c>repr()</c> (dicts, lists, tuples, strings in
/// either quote with their escapes, numbers, True/False/None) into JSON. JSON's own true/false/null are
/// accepted too, so a literal that mixes both still reads. Not an evaluator: anything else fails.
/// </summary>
internal sealed class PythonLiteral
{
    private readonly string _text;
    private int _position;

    private PythonLiteral(string text, int position)
    {
        _text = text;
        _position = position;
    }

    /// <summary>Parses the whole of <paramref name="text"/>; null when it is not one literal.</summary>
    public static JsonNode? TryParse(string text, out bool ok)
    {
        var parser = new PythonLiteral(text, 0);
        try
        {
            var node = parser.Value();
            parser.SkipSpace();
            ok = parser._position == text.Length;
            return ok ? node : null;
        }
        catch (FormatException)
        {
            ok = false;
            return null;
        }
    }

    private JsonNode? Value()
    {
        SkipSpace();
        var c = Peek();
        switch (c)
        {
            case '{':
                return Dict();
            case '[':
                return Sequence('[', ']');
            case '(':
                return Sequence('(', ')');
            case '\'' or '"':
                return JsonValue.Create(String());
            default:
                if (c == '-' || c == '+' || c == '.' || char.IsAsciiDigit(c))
                {
                    return Number();
                }

                var word = Word();
                return word switch
                {
                    "True" or "true" => JsonValue.Create(true),
                    "False" or "false" => JsonValue.Create(false),
                    "None" or "null" => null,
                    _ => throw new FormatException($"unexpected '{word}' at {_position}"),
                };
        }
    }

    private JsonObject Dict()
    {
        _position++;
        var result = new JsonObject();
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                _position++;
                return result;
            }

            var key = Value() switch
            {
                JsonValue value when value.TryGetValue<string>(out var text) => text,
                JsonValue value => value.ToJsonString(),
                _ => throw new FormatException("a dict key must be a string or a number"),
            };
            Expect(':');
            result[key] = Value();
            SkipSpace();
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != '}')
            {
                throw new FormatException($"expected ',' or '}}' at {_position}");
            }
        }
    }

    private JsonArray Sequence(char open, char close)
    {
        _position++;
        var result = new JsonArray();
        while (true)
        {
            SkipSpace();
            if (Peek() == close)
            {
                _position++;
                return result;
            }

            result.Add(Value());
            SkipSpace();
            if (Peek() == ',')
            {
                _position++;
            }
            else if (Peek() != close)
            {
                throw new FormatException($"expected ',' or '{close}' at {_position} after '{open}'");
            }
        }
    }

    private string String()
    {
        var quote = _text[_position++];
        var builder = new StringBuilder();
        while (true)
        {
            var c = Next();
            if (c == quote)
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            var escape = Next();
            switch (escape)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case '0': builder.Append('\0'); break;
                case 'x': builder.Append((char)Hex(2)); break;
                case 'u': builder.Append((char)Hex(4)); break;
                case 'U': builder.Append(char.ConvertFromUtf32(Hex(8))); break;
                case '\n': break;
                default:
                    if (escape is not ('\\' or '\'' or '"'))
                    {
                        // Python keeps unknown escapes as written.
                        builder.Append('\\');
                    }

                    builder.Append(escape);
                    break;
            }
        }
    }

    private JsonValue Number()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '.' or '-' or '+' or '_'))
        {
            _position++;
        }

        var token = _text[start.._position].Replace("_", string.Empty, StringComparison.Ordinal);
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real)
            ? JsonValue.Create(real)
            : throw new FormatException($"'{token}' is not a finite number");
    }

    private string Word()
    {
        var start = _position;
        while (_position < _text.Length && char.IsAsciiLetter(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private int Hex(int digits)
    {
        if (_position + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_position, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"bad escape at {_position}");
        }

        _position += digits;
        return value;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Next() != c)
        {
            throw new FormatException($"expected '{c}' at {_position - 1}");
        }
    }

    private char Peek() => _position < _text.Length ? _text[_position] : throw new FormatException("unexpected end");

    private char Next() => _position < _text.Length ? _text[_position++] : throw new FormatException("unexpected end");

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }
}
