using System.Text.Json.Nodes;
using AgentFlan.Synthetic;

namespace AgentFlan.Core.Tests.Synthetic;

[TestClass]
public sealed class ToolCatalogTests
{
    [TestMethod]
    public void CatalogueIsLargeAndSpansDomains()
    {
        Assert.IsTrue(ToolCatalog.All().Count >= 30);
        Assert.IsTrue(ToolCatalog.Domains.Count >= 8);
        Assert.AreEqual(ToolCatalog.All().Count, ToolCatalog.All().Select(t => t.Name).Distinct().Count());
        Assert.AreEqual(ToolCatalog.All().Count - ToolCatalog.HeldOutToolNames.Count, ToolCatalog.For(SyntheticSplit.Train).Count);
    }

    [TestMethod]
    public void SchemasCoverEveryParameterShape()
    {
        var shapes = new HashSet<string>();
        foreach (var tool in ToolCatalog.All())
        {
            Assert.AreEqual("object", tool.Parameters["type"]!.GetValue<string>(), tool.Name);
            var required = tool.Parameters["required"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
            foreach (var (name, schema) in tool.Parameters["properties"]!.AsObject())
            {
                shapes.Add(required.Contains(name) ? "required" : "optional");
                shapes.Add(schema!["enum"] is not null ? "enum" : schema["type"]!.GetValue<string>());
                if (schema["items"]?["type"]?.GetValue<string>() is { } item)
                {
                    shapes.Add("array of " + item);
                }
            }
        }

        CollectionAssert.IsSubsetOf(
            new[] { "string", "number", "integer", "enum", "boolean", "array", "object", "required", "optional", "array of string", "array of number" },
            shapes.ToList());
    }

    [TestMethod]
    public void EveryToolHasManyPhrasingsAndTrainToolsReserveSomeForHeldOut()
    {
        foreach (var tool in ToolCatalog.Tools)
        {
            Assert.IsTrue(tool.Phrasings.Count >= 3, tool.Name);
            Assert.IsTrue(tool.HeldOut || tool.Phrasings.Count >= 4, tool.Name);
            Assert.IsTrue(tool.HeldOut || tool.HeldOutPhrasings.Count >= 1, tool.Name);
            Assert.AreEqual(0, tool.Phrasings.Intersect(tool.HeldOutPhrasings).Count(), tool.Name);
        }
    }

    [TestMethod]
    public void EveryPhrasingYieldsArgumentsThatSatisfyTheSchema()
    {
        foreach (var tool in ToolCatalog.Tools)
        {
            foreach (var template in tool.Phrasings.Concat(tool.HeldOutPhrasings))
            {
                for (var i = 0; i < 20; i++)
                {
                    var slots = new Slots();
                    tool.Sample(SampleRandom.For(i, SyntheticSplit.Train, i), slots);
                    var arguments = tool.ArgumentsFor(template, slots);

                    var errors = SchemaChecker.Validate(arguments, tool.Parameters);

                    Assert.AreEqual(0, errors.Count, $"{tool.Name} / {template}: {string.Join("; ", errors)}");
                }
            }
        }
    }

    [TestMethod]
    public void SpecsAreFreshCopies()
    {
        var a = ToolCatalog.Find("get_current_weather")!;
        var b = ToolCatalog.Find("get_current_weather")!;
        a.Parameters["mutated"] = true;

        Assert.IsNull(b.Parameters["mutated"]);
        Assert.IsNull(ToolCatalog.Find("no_such_tool"));
        Assert.IsTrue(ToolCatalog.IsHeldOut("get_air_quality"));
    }

    [TestMethod]
    public void SchemaCheckerReportsViolationsWithPaths()
    {
        var schema = ToolCatalog.Find("create_calendar_event")!.Parameters;
        var bad = JsonNode.Parse("""{"title": 3, "date": "14/03/2025", "start_time": "9am", "attendees": "ana", "location": {"address": "x"}, "duration_minutes": 2.5}""")!.AsObject();

        var errors = SchemaChecker.Validate(bad, schema);

        CollectionAssert.AreEquivalent(
            new[] { "$.title", "$.date", "$.start_time", "$.attendees", "$.location", "$.duration_minutes" },
            errors.Select(e => e[..e.IndexOf(':', StringComparison.Ordinal)]).ToList());
    }
}
