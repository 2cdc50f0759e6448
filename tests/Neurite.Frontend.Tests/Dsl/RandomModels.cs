using System.Collections.Immutable;
using Neurite.Frontend.Dsl;
using Neurite.Ir;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// Random models for the print/read property: every construct the text form must carry
/// (awkward names that need backticks, every element type, inline and side-file tensors,
/// attribute kinds including empty lists and subgraphs, absent inputs and outputs, node labels,
/// type annotations, metadata). Types need not be consistent: the property is about the text
/// form, so the graphs are read back without the verifier, but every op and attribute is real.
/// </summary>
internal sealed class RandomModels(int seed)
{
    private readonly Random random = new(seed);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);
    private int counter;

    private static readonly string[] NameShapes =
        ["v", "layer1.weight", "0.bias", "/conv1/Conv_output_0", "onnx::Add_3", "my value", "a`b\\c", "größe", "model", "type", "graph", "inf", "nan", "true", "_", "x.1"];

    private static readonly ElementType[] ElementTypes =
    [
        ElementType.Float32, ElementType.Float64, ElementType.Float16, ElementType.BFloat16, ElementType.Int8, ElementType.UInt8,
        ElementType.Int16, ElementType.Int32, ElementType.Int64, ElementType.UInt64, ElementType.Bool, ElementType.String,
        ElementType.Of(DataType.Float8E4M3FN), ElementType.Of(DataType.Int4), ElementType.Of(DataType.UInt4),
        new QuantizedType(8, true, 0.05f, -3), new QuantizedType(8, false, [0.5f, 0.25f], [0, 7], axis: 0),
        new FixedPointType(16, 6, true, RoundingMode.HalfEven, OverflowMode.Saturate),
    ];

    private static readonly float[] SpecialFloats = [0f, -0f, 1f, -1.5f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, float.MaxValue, 1e-30f, 3.14159274f];

    public Model Next()
    {
        var graph = Graph("main", [], depth: 0, isMain: true);
        var opsets = new Dictionary<string, int> { [""] = random.Next(1, 24) };
        if (random.Next(3) == 0)
        {
            opsets["com.microsoft"] = 1;
        }
        var metadata = random.Next(2) == 0 ? ModelMetadata.Empty : new ModelMetadata(random.Next(1, 11), Text(), Text(), Text(), random.Next(0, 5), Text(),
            [.. Enumerable.Range(0, random.Next(3)).Select(_ => new KeyValuePair<string, string>(Text(), Text()))]);
        return new Model(graph, opsets, metadata);
    }

    /// <summary>A name unique in the model (values are SSA), often one that only backticks can write.</summary>
    private string Name()
    {
        string name = NameShapes[random.Next(NameShapes.Length)];
        return used.Add(name) ? name : $"{name}_{++counter}";
    }

    private string Text() => random.Next(4) switch
    {
        0 => "",
        1 => "plain words",
        2 => "quotes \" and \\ backslash,\ttab\nnew line",
        _ => $"unicode ✓ {random.Next(1000)}",
    };

    private float Float() => random.Next(3) == 0 ? SpecialFloats[random.Next(SpecialFloats.Length)] : (float)(random.NextDouble() * 20 - 10);

    private IrType Type(bool allowNonTensor = true)
    {
        if (allowNonTensor && random.Next(8) == 0)
        {
            return random.Next(2) == 0 ? new SequenceType(new TensorType(ElementType.Float32, Shape.OfRank(1))) : new OptionalType(new TensorType(ElementType.Int64, Shape.Scalar));
        }
        var element = ElementTypes[random.Next(ElementTypes.Length)];
        if (random.Next(6) == 0)
        {
            return new TensorType(element, Shape.UnknownRank);
        }
        var dims = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(4) switch
        {
            0 => Dim.Symbolic(new[] { "N", "batch_size", "batch size", "input.1_dim_0", "model" }[random.Next(5)]),
            1 => Dim.Unknown,
            _ => Dim.Known(random.Next(0, 9)),
        });
        return new TensorType(element, new Shape(dims));
    }

    private Tensor Tensor()
    {
        var element = ElementTypes[random.Next(ElementTypes.Length)];
        // Small tensors are written inline, large ones go to the side archive.
        int[] shape = random.Next(3) switch
        {
            0 => [],
            1 => [random.Next(0, 6)],
            _ => [random.Next(1, 8), random.Next(5, 12)],
        };
        int count = Ir.Tensor.ElementCountOf(shape);
        var storage = element.Storage;
        if (storage == DataType.String)
        {
            return Ir.Tensor.CreateStrings([.. Enumerable.Range(0, count).Select(_ => Text())], shape);
        }
        if (storage.IsFloatingPoint())
        {
            // Narrow floats have several NaN codes, of which the text form keeps one: draw finite values for them.
            var values = Enumerable.Range(0, count).Select(_ => storage.IsNarrowFloat() ? (float)(random.NextDouble() * 4 - 2) : Float()).ToArray();
            return TensorValues.FromDoubles(element, shape, i => values[i]);
        }
        var (min, max) = storage.IntegerRange();
        long high = (long)Math.Min(max, 1000UL);
        long low = Math.Max(min, -1000);
        var integers = Enumerable.Range(0, count).Select(_ => random.Next(5) == 0 ? (random.Next(2) == 0 ? low : high) : random.NextInt64(low, high + 1)).ToArray();
        return TensorValues.FromIntegers(element, shape, i => integers[i]);
    }

    private Graph Graph(string name, IReadOnlyCollection<string> outer, int depth, bool isMain)
    {
        var defined = new List<string>(outer);
        var inputs = new List<ValueInfo>();
        int inputCount = isMain ? random.Next(1, 4) : random.Next(0, 2);
        for (int i = 0; i < inputCount; i++)
        {
            var input = new ValueInfo(Name(), !isMain && random.Next(2) == 0 ? null : Type());
            inputs.Add(input);
            defined.Add(input.Name);
        }
        var initializers = new List<Initializer>();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            var initializer = new Initializer(Name(), Tensor());
            initializers.Add(initializer);
            defined.Add(initializer.Name);
        }
        var nodes = new List<Node>();
        var annotations = new List<ValueInfo>();
        for (int i = random.Next(1, 7); i > 0; i--)
        {
            var node = Node(defined, depth);
            nodes.Add(node);
            foreach (string output in node.Outputs.Where(o => o.Length > 0))
            {
                defined.Add(output);
                if (random.Next(3) == 0)
                {
                    annotations.Add(new ValueInfo(output, Type()));
                }
            }
        }
        if (random.Next(3) == 0 && inputs.Count > 0)
        {
            // A type recorded for a value the graph does not compute: written as a type statement.
            annotations.Add(new ValueInfo(inputs[0].Name, Type()));
        }
        var own = defined.Skip(outer.Count).ToList();
        var outputs = own.OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(3, own.Count) + 1))
            .Select(o => new ValueInfo(o, random.Next(3) == 0 ? null : Type())).ToList();
        return new Graph(name, inputs, outputs, nodes, initializers, annotations, random.Next(3) == 0 ? Text() : "");
    }

    private string Pick(List<string> defined) => defined[random.Next(defined.Count)];

    private Node Node(List<string> defined, int depth)
    {
        string output = Name();
        var attributes = new Dictionary<string, AttributeValue>();
        string op;
        List<string> inputs;
        List<string> outputs = [output];
        switch (random.Next(depth < 2 ? 10 : 9))
        {
            case 0:
                op = new[] { "Relu", "Neg", "Abs", "Sigmoid" }[random.Next(4)];
                inputs = [Pick(defined)];
                break;
            case 1:
                op = new[] { "Add", "Mul", "Sub" }[random.Next(3)];
                inputs = [Pick(defined), Pick(defined)];
                break;
            case 2:
                op = "LeakyRelu";
                inputs = [Pick(defined)];
                attributes["alpha"] = AttributeValue.FromFloat(Float());
                break;
            case 3:
                op = "Concat";
                inputs = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(defined))];
                attributes["axis"] = AttributeValue.FromInt(random.NextInt64(-4, 4));
                break;
            case 4:
                op = "Transpose";
                inputs = [Pick(defined)];
                attributes["perm"] = AttributeValue.FromInts(Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.NextInt64(-3, long.MaxValue / 2)));
                break;
            case 5:
                op = "Constant";
                inputs = [];
                switch (random.Next(4))
                {
                    case 0:
                        attributes["value"] = AttributeValue.FromTensor(Tensor());
                        break;
                    case 1:
                        attributes["value_floats"] = AttributeValue.FromFloats(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Float()));
                        break;
                    case 2:
                        attributes["value_strings"] = AttributeValue.FromStrings(Enumerable.Range(0, random.Next(0, 3)).Select(_ => Text()));
                        break;
                    default:
                        attributes["value_int"] = AttributeValue.FromInt(random.NextInt64(long.MinValue, long.MaxValue));
                        break;
                }
                break;
            case 6:
                op = "Dropout";
                inputs = [Pick(defined)];
                outputs = random.Next(2) == 0 ? [output] : [output, random.Next(2) == 0 ? "" : Name()];
                attributes["seed"] = AttributeValue.FromFloat(Float());
                break;
            case 7:
                op = "Clip";
                // An absent input between present ones.
                inputs = [Pick(defined), "", Pick(defined)];
                break;
            case 8:
                op = "Resize";
                inputs = [Pick(defined), "", "", Pick(defined)];
                attributes["mode"] = AttributeValue.FromString(random.Next(2) == 0 ? "linear" : Text());
                attributes["axes"] = random.Next(2) == 0 ? AttributeValue.FromInts([]) : AttributeValue.FromInts([0, 1]);
                attributes["cubic_coeff_a"] = AttributeValue.FromFloat(Float());
                break;
            default:
                op = "If";
                inputs = [Pick(defined)];
                attributes["then_branch"] = AttributeValue.FromGraph(Graph(random.Next(2) == 0 ? "then_branch" : Name(), defined, depth + 1, isMain: false));
                attributes["else_branch"] = AttributeValue.FromGraph(Graph("else_branch", defined, depth + 1, isMain: false));
                break;
        }
        string nodeName = random.Next(3) switch
        {
            0 => output,
            1 => "",
            _ => Name(),
        };
        return new Node(nodeName, op, inputs, outputs, attributes);
    }
}
