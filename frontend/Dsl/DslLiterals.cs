using System.Globalization;
using Antlr4.Runtime;
using Neurite.Frontend.Dsl.Generated;

namespace Neurite.Frontend.Dsl;

/// <summary>A number as written: its text (for exact float parsing), and whether it is an integer.</summary>
internal sealed record NumberLiteral(IToken Token, string Text, bool IsInteger, bool IsSpecial)
{
    public static NumberLiteral Of(NeuriteParser.NumberContext context)
    {
        bool negative = context.GetChild(0) is Antlr4.Runtime.Tree.ITerminalNode { Symbol.Type: NeuriteParser.T__11 };
        var token = context.INT()?.Symbol ?? context.FLOAT()?.Symbol ?? context.INF()?.Symbol ?? context.NAN().Symbol;
        string digits = token.Type switch
        {
            NeuriteParser.INF => "Infinity",
            NeuriteParser.NAN => "NaN",
            _ => token.Text,
        };
        return new NumberLiteral(context.Start, (negative ? "-" : "") + digits, token.Type == NeuriteParser.INT,
            token.Type is NeuriteParser.INF or NeuriteParser.NAN);
    }

    /// <summary>How the number reads in messages: as the user wrote it.</summary>
    public string Shown => Text.Replace("Infinity", "inf").Replace("NaN", "nan");

    public float AsFloat() => float.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public double AsDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public bool TryInteger(out long value) =>
        long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && IsInteger;

    public bool TryUnsigned(out ulong value) =>
        ulong.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && IsInteger;
}

/// <summary>
/// The arguments of a generator such as <c>raw("w.bin", offset=0, length=64)</c>: literal
/// numbers and strings, positional or named; anything else is reported.
/// </summary>
internal sealed class GeneratorArguments
{
    private GeneratorArguments()
    {
    }

    public List<(IToken Token, object Value)> Positional { get; } = [];
    public Dictionary<string, (IToken Token, object Value)> Named { get; } = new(StringComparer.Ordinal);

    public static GeneratorArguments Read(NeuriteParser.ArgumentsContext? context, string what, DslProblems problems)
    {
        var result = new GeneratorArguments();
        foreach (var argument in context?.argument() ?? [])
        {
            switch (argument)
            {
                case NeuriteParser.NamedArgumentContext named:
                    string key = DslNames.Unquote(named.name().GetText());
                    if (Literal(named.attributeValue(), what, problems) is { } value)
                    {
                        if (!result.Named.TryAdd(key, (named.name().Start, value)))
                        {
                            problems.Error(named, "dsl.argument", $"{what} is given '{key}' twice");
                        }
                    }
                    break;
                case NeuriteParser.LiteralArgumentContext literal:
                    if (Literal(literal.attributeValue(), what, problems) is { } positional)
                    {
                        result.Positional.Add((literal.Start, positional));
                    }
                    break;
                default:
                    problems.Error(argument, "dsl.argument", $"{what} takes numbers and strings, found the name '{argument.GetText()}'");
                    break;
            }
        }
        return result;
    }

    private static object? Literal(NeuriteParser.AttributeValueContext value, string what, DslProblems problems)
    {
        switch (value)
        {
            case NeuriteParser.NumberValueContext number:
                return NumberLiteral.Of(number.number());
            case NeuriteParser.StringValueContext text:
                return DslNames.UnquoteString(text.STRING().GetText());
            default:
                problems.Error(value, "dsl.argument", $"{what} takes numbers and strings, found '{value.GetText()}'");
                return null;
        }
    }

    /// <summary>Reports every named argument outside <paramref name="allowed"/>, and extra positional ones.</summary>
    public bool Check(string what, int maxPositional, IReadOnlyList<string> allowed, IToken at, DslProblems problems)
    {
        bool ok = true;
        foreach (var (key, (token, _)) in Named)
        {
            if (!allowed.Contains(key))
            {
                problems.Error(token, "dsl.argument", $"{what} has no argument '{key}'; it takes {Join(allowed)}");
                ok = false;
            }
        }
        if (Positional.Count > maxPositional)
        {
            problems.Error(Positional[maxPositional].Token, "dsl.argument",
                $"{what} takes {(maxPositional == 0 ? "no" : maxPositional.ToString(CultureInfo.InvariantCulture))} positional argument{(maxPositional == 1 ? "" : "s")}, found {Positional.Count}");
            ok = false;
        }
        return ok;
    }

    public double? Number(string key, double fallback, string what, DslProblems problems)
    {
        if (!Named.TryGetValue(key, out var entry))
        {
            return fallback;
        }
        if (entry.Value is NumberLiteral number)
        {
            return number.AsDouble();
        }
        problems.Error(entry.Token, "dsl.argument", $"'{key}' of {what} must be a number, found a string");
        return null;
    }

    public long? Integer(string key, string what, DslProblems problems, IToken at, bool required)
    {
        if (!Named.TryGetValue(key, out var entry))
        {
            if (required)
            {
                problems.Error(at, "dsl.argument", $"{what} needs {key}=INTEGER");
            }
            return null;
        }
        if (entry.Value is NumberLiteral number && number.TryInteger(out long value))
        {
            return value;
        }
        problems.Error(entry.Token, "dsl.argument", $"'{key}' of {what} must be an integer, found {Describe(entry.Value)}");
        return null;
    }

    public static string Describe(object value) => value is NumberLiteral n ? n.Shown : $"\"{value}\"";

    public static string Join(IReadOnlyList<string> words) =>
        words.Count == 0 ? "none" : words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " and " + words[^1];
}
