using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class MathTools
{
    private static readonly (string From, string To, double Factor)[] Conversions =
    [
        ("km", "miles", 0.621371), ("miles", "km", 1.609344), ("kg", "lb", 2.204623), ("lb", "kg", 0.453592),
        ("liters", "gallons", 0.264172), ("meters", "feet", 3.28084), ("feet", "meters", 0.3048), ("cm", "inches", 0.393701),
    ];

    private static readonly string[] Measures = ["mean", "median", "min", "max", "sum"];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "calculate",
            NeedsTool = false,
            Domain = "math",
            Description = "Evaluate an arithmetic expression exactly.",
            Parameters = Object(Req("expression", String("The expression, using + - * / and parentheses"))),
            Purpose = "evaluate {expression}",
            Phrasings =
            [
                "What is {expression}?",
                "Calculate {expression}.",
                "Can you work out {expression} for me?",
                "{expression} = ?",
                "Quick math: {expression}",
                "I need the exact value of {expression}.",
                "Compute {expression}.",
                "Help me with {expression}, please.",
            ],
            HeldOutPhrasings = ["Crunch {expression} please."],
            Sample = (rng, s) =>
            {
                int a = rng.Range(2, 99), b = rng.Range(2, 99), c = rng.Range(2, 12);
                var (text, value) = rng.Next(3) switch
                {
                    0 => ($"({a} + {b}) * {c}", (a + b) * c),
                    1 => ($"{a} * {b} - {c}", (a * b) - c),
                    _ => ($"{a * c} / {c} + {b}", a + b),
                };
                s.Set("expression", text);
                s.Text("value", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            },
            Run = (rng, a) => new JsonObject { ["result"] = Evaluate(a["expression"]!.GetValue<string>()) },
            Answers = ["{expression} = {r.result}", "The answer is {r.result}.", "That comes to {r.result}."],
        },
        new()
        {
            Name = "convert_units",
            NeedsTool = false,
            Domain = "math",
            Description = "Convert a value between units of length, mass or volume.",
            Parameters = Object(
                Req("value", Number("The value to convert")),
                Req("from_unit", Enum("Unit of the value", Conversions.Select(c => c.From).Distinct().ToArray())),
                Req("to_unit", Enum("Unit to convert to", Conversions.Select(c => c.To).Distinct().ToArray()))),
            Purpose = "convert {value} {from_unit} to {to_unit}",
            Phrasings =
            [
                "How many {to_unit} is {value} {from_unit}?",
                "Convert {value} {from_unit} to {to_unit}.",
                "{value} {from_unit} in {to_unit}?",
                "What's {value} {from_unit} expressed in {to_unit}?",
                "My recipe says {value} {from_unit}; I only understand {to_unit}. Convert it?",
                "I have {value} {from_unit}. How much is that in {to_unit}?",
                "Change {value} {from_unit} to {to_unit}.",
            ],
            HeldOutPhrasings = ["Turn {value} {from_unit} into {to_unit} for me."],
            Sample = (rng, s) =>
            {
                var (from, to, _) = rng.Pick(Conversions);
                s.Set("value", (double)rng.Range(1, 250));
                s.Set("from_unit", from);
                s.Set("to_unit", to);
            },
            Run = (rng, a) =>
            {
                var (from, to) = (a["from_unit"]!.GetValue<string>(), a["to_unit"]!.GetValue<string>());
                var factor = Conversions.First(c => c.From == from && c.To == to).Factor;
                return new JsonObject { ["converted_value"] = Math.Round(a["value"]!.GetValue<double>() * factor, 2), ["unit"] = to };
            },
            Answers =
            [
                "{value} {from_unit} is {r.converted_value} {r.unit}.",
                "That's {r.converted_value} {r.unit}.",
                "{value} {from_unit} equals {r.converted_value} {r.unit}.",
            ],
        },
        new()
        {
            Name = "compute_statistics",
            NeedsTool = false,
            Domain = "math",
            Description = "Compute summary statistics of a list of numbers.",
            Parameters = Object(
                Req("numbers", Array("The numbers", Number("A number"), 2)),
                Opt("measures", Array("Which statistics to return; all when omitted", Enum("A statistic", Measures)))),
            Purpose = "compute statistics for {numbers}",
            Phrasings =
            [
                "What's the {measures} of {numbers}?",
                "Give me the stats for these numbers: {numbers}.",
                "Compute the {measures} of {numbers}.",
                "Here are my scores: {numbers}. What are the summary statistics?",
                "Calculate {measures} for {numbers}, please.",
                "Summarise these numbers: {numbers}.",
                "I need the {measures} for {numbers}.",
            ],
            HeldOutPhrasings = ["Crunch the numbers {numbers}: I want the {measures}."],
            Sample = (rng, s) =>
            {
                var numbers = Enumerable.Range(0, rng.Range(4, 7)).Select(_ => (double)rng.Range(1, 100)).ToList();
                s.Set("numbers", new JsonArray(numbers.Select(n => (JsonNode)n).ToArray()), string.Join(", ", numbers.Select(Render.Number)));
                var measures = rng.PickDistinct(Measures, rng.Range(1, 2));
                s.Set("measures", ValuePools.Strings(measures), Render.Join(measures));
            },
            Run = (rng, a) =>
            {
                var xs = a["numbers"]!.AsArray().Select(n => n!.GetValue<double>()).Order().ToList();
                var wanted = a["measures"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [.. Measures];
                var result = new JsonObject();
                foreach (var m in Measures.Where(wanted.Contains))
                {
                    result[m] = m switch
                    {
                        "mean" => Math.Round(xs.Average(), 2),
                        "median" => xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[(xs.Count / 2) - 1] + xs[xs.Count / 2]) / 2,
                        "min" => xs[0],
                        "max" => xs[^1],
                        _ => xs.Sum(),
                    };
                }

                return result;
            },
            Answers =
            [
                "Here are the results:{r.rest}",
                "For {numbers}:{r.rest}",
                "Statistics for {numbers}:{r.rest}",
            ],
        },
        new()
        {
            Name = "calculate_tip",
            NeedsTool = false,
            Domain = "math",
            Description = "Calculate the tip and total for a restaurant bill, optionally split between people.",
            Parameters = Object(
                Req("bill_amount", Number("The bill before tip", 0)),
                Req("tip_percent", Number("Tip percentage", 0, 100)),
                Opt("split_between", Integer("Number of people sharing the bill", 1, 20))),
            Purpose = "work out a {tip_percent}% tip on {bill_amount}",
            Phrasings =
            [
                "What's a {tip_percent}% tip on {bill_amount}?",
                "The bill is {bill_amount}. How much with a {tip_percent} percent tip?",
                "We're {split_between} people and the bill is {bill_amount}; tipping {tip_percent}%. How much each?",
                "Calculate a {tip_percent}% tip for a {bill_amount} bill split {split_between} ways.",
                "Tip at {tip_percent}% on {bill_amount}?",
                "How much should I tip on {bill_amount} at {tip_percent}%?",
                "Split a {bill_amount} bill between {split_between} with a {tip_percent}% tip.",
            ],
            HeldOutPhrasings = ["Dinner came to {bill_amount}, {split_between} of us, {tip_percent}% tip. Each person pays?"],
            Sample = (rng, s) =>
            {
                s.Set("bill_amount", rng.Range(12.0, 380.0, 2));
                s.Set("tip_percent", (double)rng.Pick(new[] { 10, 12, 15, 18, 20 }));
                s.Set("split_between", rng.Range(2, 6));
            },
            Run = (rng, a) =>
            {
                var bill = a["bill_amount"]!.GetValue<double>();
                var tip = Math.Round(bill * a["tip_percent"]!.GetValue<double>() / 100, 2);
                var total = Math.Round(bill + tip, 2);
                var result = new JsonObject { ["tip"] = tip, ["total"] = total };
                if (a["split_between"]?.GetValue<int>() is { } people)
                {
                    result["per_person"] = Math.Round(total / people, 2);
                }

                return result;
            },
            Answers =
            [
                "The tip is {r.tip}, so the total comes to {r.total}.{r.rest}",
                "Tip: {r.tip}. Total: {r.total}.{r.rest}",
                "With a {tip_percent}% tip on {bill_amount}: tip {r.tip}, total {r.total}.{r.rest}",
            ],
        },
        new()
        {
            Name = "solve_quadratic",
            NeedsTool = false,
            Domain = "math",
            Description = "Find the real roots of a*x^2 + b*x + c = 0.",
            Parameters = Object(Req("a", Number("Coefficient of x^2")), Req("b", Number("Coefficient of x")), Req("c", Number("Constant term"))),
            HeldOut = true,
            Purpose = "solve {a}x² + {b}x + {c} = 0",
            Phrasings = ["Solve {a}x^2 + {b}x + {c} = 0.", "What are the roots of {a}x² + {b}x + {c}?", "Find x where {a}x^2 + {b}x + {c} equals zero."],
            Sample = (rng, s) =>
            {
                int r1 = rng.Range(-9, 9), r2 = rng.Range(-9, 9);
                s.Set("a", 1.0);
                s.Set("b", (double)-(r1 + r2));
                s.Set("c", (double)(r1 * r2));
            },
            Run = (rng, a) =>
            {
                double b = a["b"]!.GetValue<double>(), c = a["c"]!.GetValue<double>();
                var d = Math.Sqrt((b * b) - (4 * c));
                return new JsonObject { ["roots"] = new JsonArray((-b - d) / 2, (-b + d) / 2) };
            },
            Answers = ["The roots are {r.roots}."],
        },
    ];

    /// <summary>A tiny recursive-descent evaluator for + - * / and parentheses over integers.</summary>
    private static double Evaluate(string expression)
    {
        var pos = 0;
        var value = Sum();
        return value;

        double Sum()
        {
            var v = Product();
            while (Peek() is '+' or '-')
            {
                var op = expression[pos++];
                v = op == '+' ? v + Product() : v - Product();
            }

            return v;
        }

        double Product()
        {
            var v = Atom();
            while (Peek() is '*' or '/')
            {
                var op = expression[pos++];
                v = op == '*' ? v * Atom() : v / Atom();
            }

            return v;
        }

        double Atom()
        {
            if (Peek() == '(')
            {
                pos++;
                var v = Sum();
                Peek();
                pos++;
                return v;
            }

            var start = pos;
            while (pos < expression.Length && char.IsDigit(expression[pos]))
            {
                pos++;
            }

            return double.Parse(expression.AsSpan(start, pos - start), System.Globalization.CultureInfo.InvariantCulture);
        }

        char Peek()
        {
            while (pos < expression.Length && expression[pos] == ' ')
            {
                pos++;
            }

            return pos < expression.Length ? expression[pos] : '\0';
        }
    }
}
