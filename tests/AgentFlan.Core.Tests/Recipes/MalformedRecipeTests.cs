using System.Globalization;
using System.Text.RegularExpressions;
using AgentFlan.Recipes;

namespace AgentFlan.Core.Tests.Recipes;

/// <summary>
/// A corpus of malformed recipes, one defect each. Each file's first line says what the loader must report:
/// <c># expect: AFBnnnn (line,column) text the message contains</c>.
/// </summary>
[TestClass]
public sealed partial class MalformedRecipeTests
{
    public static IEnumerable<object[]> Cases =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Recipes", "Malformed"), "*.recipe.yaml")
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f) });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Reports_exactly_the_expected_error(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Recipes", "Malformed", file);
        var expect = Expectation().Match(File.ReadLines(path).First());
        Assert.IsTrue(expect.Success, $"{file} has no '# expect:' header");

        var result = RecipeLoader.Load(path);

        Assert.IsFalse(result.Succeeded);
        var errors = result.Diagnostics.Where(d => d.IsError).ToList();
        Assert.AreEqual(1, errors.Count, string.Join("\n", errors));
        var error = errors[0];
        Assert.AreEqual(expect.Groups["code"].Value, error.Code, error.ToString());
        if (expect.Groups["line"].Success)
        {
            Assert.AreEqual(int.Parse(expect.Groups["line"].Value, CultureInfo.InvariantCulture), error.Line, error.ToString());
            Assert.AreEqual(int.Parse(expect.Groups["column"].Value, CultureInfo.InvariantCulture), error.Column, error.ToString());
        }
        else
        {
            Assert.IsTrue(error.Line > 0, error.ToString());
        }

        var text = expect.Groups["text"].Value.Trim();
        if (text.Length > 0)
        {
            StringAssert.Contains(error.Message, text);
        }

        Assert.AreEqual(path, error.File);
    }

    [GeneratedRegex(@"^# expect: (?<code>AFB\d{4})(?: \((?<line>\d+),(?<column>\d+)\))?(?<text>.*)$")]
    private static partial Regex Expectation();
}
