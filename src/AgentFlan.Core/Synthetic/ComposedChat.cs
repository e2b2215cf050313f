namespace AgentFlan.Synthetic;

/// <summary>
/// General questions built from small tables, so plain chat is not a handful of memorisable pairs:
/// capitals, everyday arithmetic, word play. No tools are involved; the answers are computed here.
/// Every fifth table row is reserved for the held-out split.
/// </summary>
internal static class ComposedChat
{
    private static readonly (string Country, string Capital)[] Capitals =
    [
        ("France", "Paris"), ("Japan", "Tokyo"), ("Kenya", "Nairobi"), ("Canada", "Ottawa"), ("Australia", "Canberra"),
        ("Brazil", "Brasília"), ("Egypt", "Cairo"), ("Norway", "Oslo"), ("Peru", "Lima"), ("Vietnam", "Hanoi"),
        ("Portugal", "Lisbon"), ("Morocco", "Rabat"), ("Turkey", "Ankara"), ("Chile", "Santiago"), ("Poland", "Warsaw"),
        ("Ireland", "Dublin"), ("Greece", "Athens"), ("Thailand", "Bangkok"), ("Argentina", "Buenos Aires"), ("New Zealand", "Wellington"),
    ];

    private static readonly string[] CapitalQuestions = ["What is the capital of {0}?", "Which city is the capital of {0}?", "{0}'s capital is which city?"];
    private static readonly string[] CapitalAnswers = ["The capital of {0} is {1}.", "{1} is the capital of {0}."];
    private static readonly string[] SumQuestions = ["What is {0} plus {1}?", "Can you add {0} and {1}?", "What's {0} + {1}?"];
    private static readonly string[] ProductQuestions = ["What is {0} times {1}?", "Multiply {0} by {1}.", "What's {0} x {1}?"];
    private static readonly string[] ReverseQuestions = ["Can you spell \"{0}\" backwards?", "Write the word \"{0}\" in reverse.", "What is \"{0}\" reversed?"];
    private static readonly string[] LetterQuestions = ["How many letters are in the word \"{0}\"?", "Count the letters in \"{0}\"."];

    public static (string Question, string Answer) Draw(SampleRandom rng, SyntheticSplit split)
    {
        switch (rng.Next(4))
        {
            case 0:
                var (country, capital) = rng.Pick(ForSplit(Capitals, split));
                return (Format(rng.Pick(CapitalQuestions), country), Format(rng.Pick(CapitalAnswers), country, capital));
            case 1:
                int a = rng.Range(2, 99), b = rng.Range(2, 99);
                return rng.Chance(0.5)
                    ? (Format(rng.Pick(SumQuestions), a, b), $"{a} + {b} = {a + b}.")
                    : (Format(rng.Pick(ProductQuestions), a, b), $"{a} × {b} = {a * b}.");
            case 2:
                var word = rng.Pick(ForSplit(ValuePools.Words, split));
                return (Format(rng.Pick(ReverseQuestions), word), $"\"{word}\" backwards is \"{new string(word.Reverse().ToArray())}\".");
            default:
                var counted = rng.Pick(ForSplit(ValuePools.Words, split));
                return (Format(rng.Pick(LetterQuestions), counted), $"\"{counted}\" has {counted.Length} letters.");
        }
    }

    private static List<T> ForSplit<T>(IReadOnlyList<T> rows, SyntheticSplit split) =>
        rows.Where((_, i) => (i % 5 == 4) == (split == SyntheticSplit.HeldOut)).ToList();

    private static string Format(string template, params object[] values) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, template, values);
}
