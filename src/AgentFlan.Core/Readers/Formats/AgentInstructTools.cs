using System.Text.Json.Nodes;
using AgentFlan.Conversations;

namespace AgentFlan.Readers.Formats;

/// <summary>
/// The tools each AgentInstruct task offers once its action syntax is read as calls. Terminal tools
/// (answers, finish, Mind2Web choices) end a step: the human turn after them is a new user message, not a
/// tool result.
/// </summary>
internal static class AgentInstructTools
{
    private static readonly Dictionary<AgentInstructTask, (string Name, string Description, string[] Parameters)[]> Specs = new()
    {
        [AgentInstructTask.OperatingSystem] =
        [
            ("bash", "Run a bash script in the Linux (Ubuntu) container and return its output.", ["script"]),
            ("answer", "Give the answer to the question.", ["answer"]),
            ("finish", "Declare the task finished.", []),
        ],
        [AgentInstructTask.Database] =
        [
            ("execute_sql", "Run one SQL statement on the database and return the result rows.", ["query"]),
            ("answer", "Give the final answer (the list of values the question asks for).", ["answer"]),
        ],
        [AgentInstructTask.KnowledgeGraph] =
        [
            ("get_relations", "List the relations of an entity or variable.", ["variable"]),
            ("get_neighbors", "Follow a relation from an entity or variable; the result is a new variable.", ["variable", "relation"]),
            ("intersection", "Intersect two variables of the same type.", ["variable1", "variable2"]),
            ("get_attributes", "List the numeric attributes of a variable.", ["variable"]),
            ("argmax", "The entity of a variable with the largest value of an attribute.", ["variable", "attribute"]),
            ("argmin", "The entity of a variable with the smallest value of an attribute.", ["variable", "attribute"]),
            ("count", "Count the entities of a variable.", ["variable"]),
            ("answer", "Give the variable that holds the final answer.", ["answer"]),
        ],
        [AgentInstructTask.WebShop] =
        [
            ("search", "Search the shop for products.", ["query"]),
            ("click", "Click a button or link on the current page.", ["target"]),
        ],
        [AgentInstructTask.AlfWorld] =
        [
            ("go_to", "Go to a receptacle.", ["receptacle"]),
            ("take", "Take an object from a receptacle.", ["object", "receptacle"]),
            ("put", "Put an object in or on a receptacle.", ["object", "receptacle"]),
            ("open", "Open a receptacle.", ["receptacle"]),
            ("close", "Close a receptacle.", ["receptacle"]),
            ("toggle", "Switch an object or receptacle on or off.", ["target"]),
            ("clean", "Clean an object with a receptacle.", ["object", "receptacle"]),
            ("heat", "Heat an object with a receptacle.", ["object", "receptacle"]),
            ("cool", "Cool an object with a receptacle.", ["object", "receptacle"]),
            ("use", "Use an object.", ["object"]),
            ("examine", "Examine an object or receptacle.", ["target"]),
            ("inventory", "List what you are carrying.", []),
            ("look", "Look around.", []),
        ],
        [AgentInstructTask.Mind2Web] =
        [
            ("click", "Click the chosen page element.", ["element"]),
            ("type", "Type a value into the chosen page element.", ["element", "value"]),
            ("select", "Select a value in the chosen page element.", ["element", "value"]),
            ("hover", "Hover over the chosen page element.", ["element"]),
            ("press_enter", "Press Enter on the chosen page element.", ["element"]),
            ("choose", "Choose an element (or A, none of the above) without acting on it.", ["element"]),
        ],
    };

    /// <summary>Fresh specs for one conversation (JSON nodes cannot be shared between documents).</summary>
    public static IEnumerable<ToolSpec> For(AgentInstructTask task) =>
        Specs[task].Select(spec => new ToolSpec(spec.Name, spec.Description, Schema(spec.Parameters, spec.Name == "answer")));

    public static bool IsTerminal(AgentInstructTask task, string tool) =>
        task == AgentInstructTask.Mind2Web || (task != AgentInstructTask.General && tool is "answer" or "finish");

    private static JsonObject Schema(string[] parameters, bool anyType)
    {
        var properties = new JsonObject();
        foreach (var parameter in parameters)
        {
            // Answers may be text, a number or a list (DB answers are lists): any JSON type.
            properties[parameter] = anyType ? new JsonObject() : new JsonObject { ["type"] = "string" };
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. parameters.Select(p => (JsonNode)p)]),
        };
    }
}
