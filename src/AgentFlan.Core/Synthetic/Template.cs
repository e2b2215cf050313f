using System.Text;

namespace AgentFlan.Synthetic;

/// <summary>Fills <c>{slot}</c> placeholders. A missing slot is a bug in the catalogue, so it throws.</summary>
internal static class Template
{
    public static string Fill(string template, Func<string, string?> lookup)
    {
        var builder = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new InvalidOperationException($"Unclosed slot in template '{template}'.");
            }

            builder.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            builder.Append(lookup(name) ?? throw new InvalidOperationException($"Template '{template}' uses unknown slot '{name}'."));
            i = close + 1;
        }

        return builder.ToString();
    }

    public static string Fill(string template, Slots slots) =>
        Fill(template, name => slots.TryGetText(name, out var text) ? text : null);

    /// <summary>Whether the template mentions the argument (as <c>{name}</c> or one of its <c>{name.part}</c> views).</summary>
    public static bool Mentions(string template, string name) =>
        template.Contains("{" + name + "}", StringComparison.Ordinal) ||
        template.Contains("{" + name + ".", StringComparison.Ordinal);

    /// <summary>The slot names a template uses.</summary>
    public static IEnumerable<string> SlotNames(string template)
    {
        var i = 0;
        while ((i = template.IndexOf('{', i)) >= 0)
        {
            var close = template.IndexOf('}', i);
            yield return template[(i + 1)..close];
            i = close + 1;
        }
    }

    public static string Capitalize(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
