using System.Security.Cryptography;
using System.Text;

namespace AgentFlan.Hashing;

/// <summary>SHA-256 content hashes as lowercase hex: the identity of every input, stage and output.</summary>
public static class ContentHash
{
    public static string OfText(string text) => OfBytes(Encoding.UTF8.GetBytes(text));

    public static string OfBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
