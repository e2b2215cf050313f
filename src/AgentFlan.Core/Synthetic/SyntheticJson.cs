using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentFlan.Synthetic;

/// <summary>How generated JSON is written: compact, and with non-ASCII text left readable ("°C", not "\u00B0C").</summary>
internal static class SyntheticJson
{
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
