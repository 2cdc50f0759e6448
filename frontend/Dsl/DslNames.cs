using System.Text;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// How names are written in the Neurite language: a plain name (letters, digits, '_', dotted
/// segments such as <c>conv1.weight</c>) as it is, anything else (ONNX allows any string) between
/// backticks. <c>_</c> alone marks an absent optional input or output.
/// </summary>
public static class DslNames
{
    public const string Absent = "_";

    /// <summary>Words that start a construct somewhere; the printer quotes values named like them so nothing reads ambiguously.</summary>
    private static readonly HashSet<string> Keywords =
        ["model", "opset", "params", "param", "meta", "doc", "graph", "tensor", "type", "inf", "nan", "true", "false", Absent];

    public static bool IsPlain(string name)
    {
        if (name.Length == 0 || Keywords.Contains(name) || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (string segment in name.Split('.'))
        {
            if (segment.Length == 0 || !segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The name as the language writes it: plain, or quoted with backticks.</summary>
    public static string Format(string name)
    {
        if (IsPlain(name))
        {
            return name;
        }
        if (name.Contains('\n') || name.Contains('\r'))
        {
            throw new NeuriteException("dsl.print", $"the name '{name.ReplaceLineEndings("\\n")}' holds a line break, which the Neurite language cannot write");
        }
        return "`" + name.Replace("\\", "\\\\").Replace("`", "\\`") + "`";
    }

    /// <summary>The name a NAME token stands for: backticks and escapes removed.</summary>
    internal static string Unquote(string text)
    {
        if (text.Length < 2 || text[0] != '`')
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (int i = 1; i < text.Length - 1; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length - 1)
            {
                i++;
            }
            result.Append(text[i]);
        }
        return result.ToString();
    }

    /// <summary>A string literal as the language writes it.</summary>
    public static string FormatString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    /// <summary>The value of a STRING token: quotes and escapes removed.</summary>
    internal static string UnquoteString(string text)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 1; i < text.Length - 1; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length - 1)
            {
                c = text[++i] switch
                {
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    var other => other,
                };
            }
            result.Append(c);
        }
        return result.ToString();
    }
}
