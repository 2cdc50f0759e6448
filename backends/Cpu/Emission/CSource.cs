using System.Globalization;
using System.Text;

namespace Neurite.Backends.Cpu;

/// <summary>C text with indentation by blocks; every line ends in '\n' whatever the host.</summary>
public sealed class CSource
{
    private readonly StringBuilder text = new();
    private int depth;

    public CSource Line(string line = "")
    {
        if (line.Length > 0)
        {
            text.Append(' ', depth * 4).Append(line);
        }
        text.Append('\n');
        return this;
    }

    /// <summary>Writes <c>header {</c>, runs <paramref name="body"/> one level deeper, then <c>}</c>.</summary>
    public CSource Block(string header, Action body)
    {
        Line(header + " {");
        depth++;
        body();
        depth--;
        return Line("}");
    }

    /// <summary>A <c>for</c> loop over <c>[0, count)</c> by <paramref name="step"/>.</summary>
    public CSource For(string variable, long count, Action body, long step = 1, long start = 0) =>
        Block(string.Create(CultureInfo.InvariantCulture,
            $"for (int {variable} = {start}; {variable} < {count}; {(step == 1 ? "++" + variable : $"{variable} += {step}")})"), body);

    public void Raw(string block) => text.Append(block);

    public override string ToString() => text.ToString();
}

/// <summary>C literals that read back to exactly the value written, whatever the culture.</summary>
public static class CLiteral
{
    /// <summary>A float literal: shortest round-trip digits ("R"), always with a '.' or exponent, and an 'f' suffix.</summary>
    public static string Float(float value)
    {
        if (float.IsNaN(value))
        {
            return "NAN";
        }
        if (float.IsInfinity(value))
        {
            return value > 0 ? "INFINITY" : "(-INFINITY)";
        }
        string digits = value.ToString("R", CultureInfo.InvariantCulture);
        if (!digits.Contains('.') && !digits.Contains('E'))
        {
            digits += ".0";
        }
        return digits + "f";
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C comment body that cannot end the comment early.</summary>
    public static string Comment(string text) => text.Replace("*/", "* /", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>A C string literal of printable ASCII (anything else escaped in octal).</summary>
    public static string String(string text)
    {
        var result = new StringBuilder("\"");
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                result.Append('\\').Append((char)b);
            }
            else if (b is >= 32 and < 127 && b != (byte)'?')
            {
                result.Append((char)b);
            }
            else
            {
                result.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
            }
        }
        return result.Append('"').ToString();
    }
}
