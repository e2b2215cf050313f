using System.Reflection;
using AgentFlan.TestUtilities;

namespace AgentFlan.Build.IntegrationTests;

/// <summary>
/// A throwaway MSBuild project outside the repository that uses AgentFlan the way a user's project would:
/// it imports build/AgentFlan.Build.targets and loads the already-built task assembly.
/// </summary>
internal sealed class TestProject : IDisposable
{
    private static readonly string Configuration =
        typeof(TestProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private readonly TempDirectory _directory = new("agentflan-e2e");

    public TestProject()
    {
        var tasks = RepositoryPaths.Combine("src", "AgentFlan.Build.Tasks", "bin", Configuration, "net10.0", "AgentFlan.Build.Tasks.dll");
        Assert.IsTrue(File.Exists(tasks), $"{tasks} is missing: build the solution first.");
        _directory.WriteFile("Experiment.proj", $"""
            <Project Sdk="Microsoft.Build.NoTargets/3.7.0">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Configuration>{Configuration}</Configuration>
                <AgentFlanTasksAssembly>{tasks}</AgentFlanTasksAssembly>
                <!-- The tests' builds share a compile server, gone a minute after the last one. -->
                <AgentFlanCompileServerIdleSeconds>60</AgentFlanCompileServerIdleSeconds>
              </PropertyGroup>
              <ItemGroup>
                <AgentFlanRecipe Include="*.recipe.yaml" />
              </ItemGroup>
              <Import Project="{RepositoryPaths.Combine("build", "AgentFlan.Build.targets")}" />
            </Project>
            """);
    }

    public string Directory => _directory.Path;

    public string Path(params string[] parts) => _directory.Combine(parts);

    public void WriteRecipe(string name, string yaml) => _directory.WriteFile($"{name}.recipe.yaml", yaml);

    public DotNet.Result Build(params string[] extra) =>
        DotNet.Run(Directory, TimeSpan.FromMinutes(5), ["build", "Experiment.proj", "-v:n", "-tl:off", "-nologo", "-m:1", .. extra]);

    public void Dispose() => _directory.Dispose();

    public static string SyntheticRecipe(int count, int length = 128, int steps = 3) => $"""
        seed: 11
        sources:
          - name: synthetic
            format: synthetic
            count: {count}
        sequence:
          length: {length}
        model:
          layers: 1
          dim: 32
          heads: 2
          kv_heads: 1
        training:
          steps: {steps}
          batch_size: 2
          log_every: 1
        """;
}
