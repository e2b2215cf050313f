namespace AgentFlan.Evaluation;

/// <summary>Finds where a JSON value written in free text ends, without parsing it (brackets and strings only).</summary>
internal static class JsonScanner
{
    /// <summary>The index just past the object or array opening at <paramref name="start"/>, or -1 when it never closes.</summary>
    public static int EndOfBracketed(string text, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < text.Length; i++)
        {
            char c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }
        }

        return -1;
    }

    /// <summary>The index just past the string opening at <paramref name="start"/>, or -1.</summary>
    public static int EndOfString(string text, int start)
    {
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>The end of any JSON value at <paramref name="start"/>: bracketed, string, or a bare literal up to <paramref name="stops"/>.</summary>
    public static int EndOfValue(string text, int start, string stops)
    {
        if (start >= text.Length)
        {
            return -1;
        }

        switch (text[start])
        {
            case '{' or '[':
                return EndOfBracketed(text, start);
            case '"':
                return EndOfString(text, start);
            default:
                int end = start;
                while (end < text.Length && stops.IndexOf(text[end], StringComparison.Ordinal) < 0 && text[end] != '\n')
                {
                    end++;
                }

                return end;
        }
    }
}
