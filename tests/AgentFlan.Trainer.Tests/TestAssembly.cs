using static TorchSharp.torch;

namespace AgentFlan.Trainer.Tests;

[TestClass]
public static class TestAssembly
{
    /// <summary>
    /// The test models are tiny: one intra-op thread is as fast as two, and it keeps the suite's time steady on
    /// a shared machine, where OpenMP threads spinning against other processes' builds cost seconds.
    /// </summary>
    [AssemblyInitialize]
    public static void Initialize(TestContext context) => set_num_threads(1);
}
