using System.Globalization;
using Antlr4.Runtime;
using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// The value of a parameter or tensor attribute: a literal list, <c>zeros</c>, <c>ones</c>,
/// <c>fill(v)</c>, a seeded <c>random</c>/<c>normal</c> draw, or a side file (<c>file</c>, <c>raw</c>).
/// </summary>
internal sealed class TensorReader(DslProblems problems, WeightFiles files)
{
    public static readonly IReadOnlyList<string> Generators = ["zeros", "ones", "fill", "random", "normal", "file", "raw"];

    public Tensor? Read(NeuriteParser.TensorInitContext init, TensorType type, string what) => init switch
    {
        NeuriteParser.LiteralInitContext literal => FromList(literal.tensorList(), type, what),
        NeuriteParser.GeneratorInitContext generator => FromGenerator(generator, type, what),
        _ => null,
    };

    private Tensor? FromList(NeuriteParser.TensorListContext list, TensorType type, string what)
    {
        var elements = new List<NeuriteParser.TensorElementContext>();
        Flatten(list, elements);
        int[] shape = type.Shape.ToSizes();
        int count = Tensor.ElementCountOf(shape);
        if (elements.Count != count)
        {
            problems.Error(list, "dsl.value", $"{what} of type {type} needs {count} value{(count == 1 ? "" : "s")}, found {elements.Count}");
            return null;
        }
        var storage = type.ElementType.Storage;
        int errorsBefore = problems.All.Count;
        Tensor result;
        if (storage == DataType.String)
        {
            var strings = elements.Select(e => e.STRING() is { } s ? DslNames.UnquoteString(s.GetText()) : Wrong(e, "a string")).ToArray();
            result = Tensor.CreateStrings(strings, shape);
        }
        else if (storage == DataType.Bool)
        {
            result = TensorValues.FromIntegers(type.ElementType, shape, i => Boolean(elements[i]) ? 1 : 0);
        }
        else if (storage.IsFloatingPoint())
        {
            result = storage == DataType.Float64
                ? TensorValues.FromDoubles(type.ElementType, shape, i => Number(elements[i])?.AsDouble() ?? 0)
                : TensorValues.FromDoubles(type.ElementType, shape, i => Number(elements[i])?.AsFloat() ?? 0);
        }
        else
        {
            result = TensorValues.FromIntegers(type.ElementType, shape, i => Integer(elements[i], storage));
        }
        return problems.All.Count == errorsBefore ? result : null;
    }

    private static void Flatten(NeuriteParser.TensorListContext list, List<NeuriteParser.TensorElementContext> into)
    {
        foreach (var element in list.tensorElement())
        {
            if (element.tensorList() is { } nested)
            {
                Flatten(nested, into);
            }
            else
            {
                into.Add(element);
            }
        }
    }

    private NumberLiteral? Number(NeuriteParser.TensorElementContext element)
    {
        if (element.number() is { } number)
        {
            return NumberLiteral.Of(number);
        }
        Wrong(element, "a number");
        return null;
    }

    private long Integer(NeuriteParser.TensorElementContext element, DataType storage)
    {
        if (Number(element) is not { } number)
        {
            return 0;
        }
        var (min, max) = storage.IntegerRange();
        if (storage == DataType.UInt64 && number.TryUnsigned(out ulong unsigned))
        {
            return unchecked((long)unsigned);
        }
        if (!number.TryInteger(out long value) || value < min || (value >= 0 && (ulong)value > max))
        {
            problems.Error(element, "dsl.value", $"expected an integer from {min} to {max} for {TypeSyntax.Name(storage)}, found {number.Shown}");
            return 0;
        }
        return value;
    }

    private bool Boolean(NeuriteParser.TensorElementContext element)
    {
        switch (element.GetText())
        {
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                Wrong(element, "true or false");
                return false;
        }
    }

    private string Wrong(NeuriteParser.TensorElementContext element, string expected)
    {
        problems.Error(element, "dsl.value", $"expected {expected}, found {element.GetText()}");
        return "";
    }

    private Tensor? FromGenerator(NeuriteParser.GeneratorInitContext generator, TensorType type, string what)
    {
        string kind = generator.name().GetText();
        var at = generator.name().Start;
        bool called = generator.ChildCount > 1;
        var arguments = GeneratorArguments.Read(generator.arguments(), kind, problems);
        int[] shape = type.Shape.ToSizes();
        var element = type.ElementType;
        switch (kind)
        {
            case "zeros" when !called:
                return Tensor.Zeros(element, shape);
            case "ones" when !called:
                return Constant(1, type, at, what);
            case "fill":
                if (!arguments.Check("fill", 1, [], at, problems))
                {
                    return null;
                }
                if (arguments.Positional.Count != 1 || arguments.Positional[0].Value is not NumberLiteral value)
                {
                    problems.Error(at, "dsl.value", "fill takes one number: fill(0.5)");
                    return null;
                }
                return Constant(value.AsDouble(), type, value.Token, what);
            case "random" or "normal":
                return Random(kind, arguments, type, at, what);
            case "file":
                return File(arguments, type, at, what);
            case "raw":
                return Raw(arguments, type, at, what);
            default:
                problems.Error(at, "dsl.value",
                    $"expected zeros, ones, fill(v), random(seed=S), normal(seed=S), file(\"...\"), raw(\"...\", offset=, length=) or [values], found '{generator.GetText()}'{DslProblems.Suggest(kind, Generators)}");
                return null;
        }
    }

    private Tensor? Constant(double value, TensorType type, IToken at, string what)
    {
        var storage = type.ElementType.Storage;
        if (storage == DataType.String)
        {
            problems.Error(at, "dsl.value", $"{what} holds strings: write them as a list [\"a\", \"b\"]");
            return null;
        }
        if (!storage.IsFloatingPoint() && value != Math.Floor(value))
        {
            problems.Error(at, "dsl.value", $"{what} holds integers ({type.ElementType}); {value.ToString(CultureInfo.InvariantCulture)} is not one");
            return null;
        }
        return TensorValues.FromDoubles(type.ElementType, type.Shape.ToSizes(), _ => value);
    }

    private Tensor? Random(string kind, GeneratorArguments arguments, TensorType type, IToken at, string what)
    {
        bool uniform = kind == "random";
        if (!arguments.Check(kind, 0, uniform ? ["seed", "low", "high"] : ["seed", "mean", "std"], at, problems))
        {
            return null;
        }
        if (!type.ElementType.Storage.IsFloatingPoint() || type.ElementType is not ScalarType)
        {
            problems.Error(at, "dsl.value", $"{kind}(...) draws floating-point values; {what} is {type.ElementType}");
            return null;
        }
        long? seed = arguments.Integer("seed", kind, problems, at, required: true);
        double? first = arguments.Number(uniform ? "low" : "mean", uniform ? -1 : 0, kind, problems);
        double? second = arguments.Number(uniform ? "high" : "std", 1, kind, problems);
        if (seed is null || first is null || second is null)
        {
            return null;
        }
        var random = new SeededRandom(seed.Value);
        double a = first.Value, b = second.Value;
        return TensorValues.FromDoubles(type.ElementType, type.Shape.ToSizes(),
            _ => uniform ? a + (b - a) * random.NextDouble() : a + b * random.NextNormal());
    }

    private Tensor? File(GeneratorArguments arguments, TensorType type, IToken at, string what)
    {
        if (!arguments.Check("file", 1, ["key"], at, problems))
        {
            return null;
        }
        if (arguments.Positional.Count != 1 || arguments.Positional[0].Value is not string location)
        {
            problems.Error(at, "dsl.value", "file takes the path of a .npy file, or of a .npz archive with key=\"NAME\"");
            return null;
        }
        var pathToken = arguments.Positional[0].Token;
        Tensor? array;
        if (arguments.Named.TryGetValue("key", out var key))
        {
            if (key.Value is not string keyName)
            {
                problems.Error(key.Token, "dsl.value", "key names an array of the archive: key=\"NAME\"");
                return null;
            }
            var archive = files.Archive(location, pathToken);
            if (archive is null)
            {
                return null;
            }
            if (!archive.TryGetValue(keyName, out array))
            {
                problems.Error(key.Token, "dsl.value", $"'{location}' holds no array '{keyName}'{DslProblems.Suggest(keyName, archive.Keys)}");
                return null;
            }
        }
        else
        {
            array = files.Array(location, pathToken);
        }
        return array is null ? null : Declared(array, type, pathToken, what);
    }

    public Tensor? Declared(Tensor array, TensorType type, IToken at, string what)
    {
        var tensor = TensorValues.AsDeclared(array, type, out string? problem);
        if (tensor is null)
        {
            problems.Error(at, "dsl.value", $"the array for {what} does not fit its type {type}: {problem}");
        }
        return tensor;
    }

    private Tensor? Raw(GeneratorArguments arguments, TensorType type, IToken at, string what)
    {
        if (!arguments.Check("raw", 1, ["offset", "length"], at, problems))
        {
            return null;
        }
        if (arguments.Positional.Count != 1 || arguments.Positional[0].Value is not string location)
        {
            problems.Error(at, "dsl.value", "raw takes the path of a binary file: raw(\"w.bin\", offset=0, length=64)");
            return null;
        }
        if (type.ElementType.Storage == DataType.String)
        {
            problems.Error(at, "dsl.value", $"{what} holds strings, which have no raw binary form");
            return null;
        }
        long offset = arguments.Integer("offset", "raw", problems, at, required: false) ?? 0;
        int[] shape = type.Shape.ToSizes();
        long needed = (long)Tensor.ElementCountOf(shape) * type.ElementType.Storage.ByteSize();
        long length = arguments.Integer("length", "raw", problems, at, required: false) ?? needed;
        if (length != needed)
        {
            problems.Error(arguments.Named.TryGetValue("length", out var l) ? l.Token : at, "dsl.value",
                $"{what} of type {type} needs {needed} bytes, raw gives length={length}");
            return null;
        }
        var bytes = files.Bytes(location, arguments.Positional[0].Token, offset, length);
        return bytes is null ? null : Tensor.FromOwnedBytes(type.ElementType, bytes, shape);
    }
}
