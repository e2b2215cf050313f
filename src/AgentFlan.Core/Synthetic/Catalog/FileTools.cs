using System.Text.Json.Nodes;
using static AgentFlan.Synthetic.Schema;

namespace AgentFlan.Synthetic.Catalog;

internal static class FileTools
{
    private static readonly string[] Lines =
    [
        "TODO: update the budget figures", "server started on port 8080", "meeting notes for Monday", "total: 1,245.50",
        "error: disk quota exceeded", "version 2.3.1 released", "remember to call the landlord", "all tests passed",
    ];

    public static IEnumerable<SyntheticTool> All() =>
    [
        new()
        {
            Name = "list_files",
            Domain = "files",
            Description = "List the files in a directory, optionally filtered by a glob pattern.",
            Parameters = Object(
                Req("directory", String("Absolute or home-relative directory path")),
                Opt("pattern", String("Glob pattern such as *.csv")),
                Opt("recursive", Boolean("Whether to include subdirectories"))),
            Purpose = "list the files in {directory}",
            Phrasings =
            [
                "What files are in {directory}?",
                "List everything in {directory}, {recursive}.",
                "Show me the {pattern} files in {directory}.",
                "Which files matching {pattern} are under {directory}? Search {recursive}.",
                "ls {directory}",
                "Can you check what's inside {directory}?",
                "What's in the folder {directory}?",
            ],
            HeldOutPhrasings = ["Give me an inventory of {directory} ({pattern} only)."],
            Sample = (rng, s) =>
            {
                s.Set("directory", rng.Pick(ValuePools.Directories));
                s.Set("pattern", "*." + rng.Pick(ValuePools.Extensions));
                var deep = rng.Chance(0.5);
                s.Set("recursive", JsonValue.Create(deep), deep ? "including subfolders" : "top level only");
            },
            Run = (rng, a) =>
            {
                var ext = a["pattern"]?.GetValue<string>()[2..];
                var names = rng.PickDistinct(ValuePools.FileStems, rng.Range(2, 4))
                    .Select(stem => (JsonNode)$"{stem}.{ext ?? rng.Pick(ValuePools.Extensions)}").ToArray();
                return new JsonObject { ["files"] = new JsonArray(names) };
            },
            Answers =
            [
                "{directory} contains {r.files}.",
                "Here's what I found in {directory}: {r.files}.",
                "Files in {directory}: {r.files}.",
            ],
            FollowUpSlot = "directory",
        },
        new()
        {
            Name = "read_file",
            Domain = "files",
            Description = "Read a text file and return its first lines.",
            Parameters = Object(
                Req("path", String("Path of the file")),
                Opt("max_lines", Integer("How many lines to return at most", 1, 500))),
            Purpose = "read {path}",
            Phrasings =
            [
                "Show me what's in {path}.",
                "Open {path} and tell me what it says.",
                "Read the first {max_lines} lines of {path}.",
                "cat {path}",
                "What does {path} contain? Just the first {max_lines} lines.",
                "Print the contents of {path}.",
                "I need to see {path}, first {max_lines} lines only.",
            ],
            HeldOutPhrasings = ["Peek into {path} for me."],
            Sample = (rng, s) =>
            {
                s.Set("path", $"{rng.Pick(ValuePools.Directories)}/{rng.Pick(ValuePools.FileStems)}.{rng.Pick(new[] { "txt", "md", "log" })}");
                s.Set("max_lines", rng.Range(2, 3));
            },
            Run = (rng, a) => new JsonObject
            {
                ["lines"] = ValuePools.Strings(rng.PickDistinct(Lines, a["max_lines"]?.GetValue<int>() ?? 2)),
            },
            Answers =
            [
                "{path} starts with: {r.lines}.",
                "Here are the lines from {path}: {r.lines}.",
                "The first lines of {path}: {r.lines}.",
            ],
        },
        new()
        {
            Name = "search_files",
            Domain = "files",
            Description = "Search file contents for a text, optionally limited to a directory and extensions.",
            Parameters = Object(
                Req("query", String("Text to search for")),
                Opt("directory", String("Directory to search in")),
                Opt("extensions", Array("File extensions to include, without dots", String("An extension"), 1))),
            Purpose = "search my files for \"{query}\"",
            Phrasings =
            [
                "Search my files for \"{query}\".",
                "Which files mention \"{query}\"? Look in {directory}.",
                "Find \"{query}\" in my {extensions} files.",
                "grep for \"{query}\" in {directory}, only {extensions} files",
                "Where did I write \"{query}\"?",
                "Look through {directory} for \"{query}\".",
                "Search for the text \"{query}\" across my {extensions} files in {directory}.",
            ],
            HeldOutPhrasings = ["I know I typed \"{query}\" somewhere in {directory}. Where?"],
            Sample = (rng, s) =>
            {
                s.Set("query", rng.Pick(new[] { "invoice", "password reset", "deadline", "TODO", "timeout", "quarterly" }));
                s.Set("directory", rng.Pick(ValuePools.Directories));
                var exts = rng.PickDistinct(ValuePools.Extensions, rng.Range(1, 2));
                s.Set("extensions", ValuePools.Strings(exts), Render.Join(exts.Select(e => "." + e).ToList()));
            },
            Run = (rng, a) =>
            {
                var dir = a["directory"]?.GetValue<string>() ?? "~";
                var ext = a["extensions"]?[0]?.GetValue<string>() ?? "txt";
                var matches = new JsonArray();
                foreach (var stem in rng.PickDistinct(ValuePools.FileStems, 2))
                {
                    matches.Add(new JsonObject { ["path"] = $"{dir}/{stem}.{ext}", ["line"] = rng.Range(1, 300) });
                }

                return new JsonObject { ["matches"] = matches };
            },
            Answers =
            [
                "\"{query}\" appears in these files (path, line):{r.matches}",
                "I found \"{query}\" here:{r.matches}",
                "Matches for \"{query}\" (path, line):{r.matches}",
            ],
        },
        new()
        {
            Name = "create_archive",
            Domain = "files",
            Description = "Compress files into an archive.",
            Parameters = Object(
                Req("paths", Array("Files or folders to include", String("A path"), 1)),
                Req("archive_name", String("Name of the archive file, without extension")),
                Opt("format", Enum("Archive format", "zip", "tar.gz", "7z"))),
            Purpose = "pack {paths} into {archive_name}",
            Phrasings =
            [
                "Zip up {paths} into an archive called {archive_name}.",
                "Create a {format} archive named {archive_name} with {paths}.",
                "Please compress {paths} as {archive_name}.",
                "Bundle {paths} into {archive_name} ({format}).",
                "Archive {paths} as {archive_name}.",
                "Can you pack {paths} into a {format} file called {archive_name}?",
                "Compress {paths} into {archive_name}, format {format}.",
            ],
            HeldOutPhrasings = ["Make me a {format} called {archive_name} out of {paths}."],
            Sample = (rng, s) =>
            {
                var paths = rng.PickDistinct(ValuePools.FileStems, rng.Range(1, 3)).Select(f => $"{f}.{rng.Pick(ValuePools.Extensions)}").ToList();
                s.Set("paths", ValuePools.Strings(paths), Render.Join(paths));
                s.Set("archive_name", rng.Pick(new[] { "backup", "q3-reports", "project-files", "photos-2025", "handover" }));
                s.Set("format", rng.Pick(new[] { "zip", "tar.gz", "7z" }));
            },
            Run = (rng, a) => new JsonObject
            {
                ["archive"] = $"{a["archive_name"]!.GetValue<string>()}.{a["format"]?.GetValue<string>() ?? "zip"}",
                ["file_count"] = a["paths"]!.AsArray().Count,
                ["size_mb"] = rng.Range(0.2, 250.0, 1),
            },
            Answers =
            [
                "Done: {r.archive} holds {r.file_count} item(s) and is {r.size_mb} MB.",
                "Created {r.archive} ({r.size_mb} MB, {r.file_count} item(s)).",
                "The archive {r.archive} is ready: {r.file_count} item(s), {r.size_mb} MB.",
            ],
        },
        new()
        {
            Name = "get_disk_usage",
            Domain = "files",
            Description = "Report used and free space on the volume holding a path.",
            Parameters = Object(Req("path", String("Any path on the volume")), Opt("human_readable", Boolean("Return sizes in GB"))),
            HeldOut = true,
            Purpose = "check the disk usage of {path}",
            Phrasings = ["How much space is left on {path}?", "Disk usage for {path}, please.", "Is the disk holding {path} getting full?"],
            Sample = (rng, s) => s.Set("path", rng.Pick(ValuePools.Directories)),
            Run = (rng, a) =>
            {
                var total = rng.Pick(new[] { 256, 512, 1000, 2000 });
                var used = rng.Range(10, total - 5);
                return new JsonObject { ["used_gb"] = used, ["free_gb"] = total - used, ["percent_used"] = Math.Round(100.0 * used / total, 1) };
            },
            Answers = ["The volume with {path} has {r.free_gb} GB free; {r.used_gb} GB are used ({r.percent_used}%)."],
        },
    ];
}
