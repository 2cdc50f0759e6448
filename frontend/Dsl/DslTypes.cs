using System.Text.RegularExpressions;
using Antlr4.Runtime.Misc;
using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// Types in a program are TypeSyntax's text form: the grammar only delimits them, TypeSyntax
/// gives them meaning, so the DSL and the IR printer can never disagree on how a type reads.
/// </summary>
internal static partial class DslTypes
{
    public static IrType? Read(NeuriteParser.TypeContext context, DslProblems problems)
    {
        string text = context.Start.InputStream.GetText(Interval.Of(context.Start.StartIndex, context.Stop.StopIndex));
        try
        {
            return TypeSyntax.ParseType(text);
        }
        catch (FormatException e)
        {
            // "in type '...' at column K: what" -> the same message at the file position of column K.
            var match = ColumnPattern().Match(e.Message);
            if (match.Success && !text.Contains('\n'))
            {
                int column = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                problems.All.Add(Diagnostic.Error("dsl.type", $"in type '{text}': {match.Groups[2].Value}",
                    new SourceLocation(problems.FileName, context.Start.Line, context.Start.Column + column)));
            }
            else
            {
                problems.Error(context, "dsl.type", e.Message);
            }
            return null;
        }
        catch (ArgumentException e)
        {
            problems.Error(context, "dsl.type", $"in type '{text}': {e.Message}");
            return null;
        }
    }

    /// <summary>The type of a parameter or tensor attribute: a tensor type whose every dimension is a number.</summary>
    public static TensorType? ReadConcrete(NeuriteParser.TypeContext context, DslProblems problems, string what)
    {
        var type = Read(context, problems);
        if (type is null)
        {
            return null;
        }
        if (type is not TensorType tensor || !tensor.Shape.IsFullyKnown)
        {
            problems.Error(context, "dsl.type", $"{what} needs a tensor type with known sizes, such as f32[10, 20]; found {type}");
            return null;
        }
        return tensor;
    }

    [GeneratedRegex(@"at column (\d+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex ColumnPattern();
}
