namespace AgentFlan.Trainer;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: AgentFlan.Trainer train --job <job.json>");
        return args.Length == 0 ? 2 : 2;
    }
}
