namespace AgentFlan.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: agentflan validate|compile <recipe>");
        return args.Length == 0 ? 2 : 2;
    }
}
