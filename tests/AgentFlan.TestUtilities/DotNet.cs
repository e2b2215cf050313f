using System.Diagnostics;
using System.Text;

namespace AgentFlan.TestUtilities;

/// <summary>Runs the `dotnet` CLI (the same one running the tests) and captures its output.</summary>
public static class DotNet
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{Output}";
    }

    public static string HostPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo(HostPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Keep test builds independent of the developer's terminal and of node reuse.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildSDKsPath");

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} ran past {timeout}.{Environment.NewLine}{output}");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString());
    }
}
