using Antlr4.Runtime;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>One argument of a helper call: a value (its SSA name; "" for _) or a literal.</summary>
internal sealed record HelperArgument(IToken Token, string? Value, AttributeValue? Literal);

/// <summary>A helper call in canonical form: the op it stands for, its inputs and attributes.</summary>
internal sealed record HelperExpansion(string OpType, List<string> Inputs, Dictionary<string, AttributeValue> Attributes);

/// <summary>
/// Layer helpers: short lower-case names for the layers people write by hand, each standing for
/// one canonical ONNX op (the IR only ever holds canonical ops; the printer writes those).
/// <c>conv2d(x, w, b, pads=2)</c> is <c>Conv(x, w, b, pads=[2, 2, 2, 2])</c>;
/// <c>dense(x, w, b)</c> is <c>Gemm(x, w, b, transB=1)</c> with w shaped [out, in] as in PyTorch;
/// <c>maxpool(x, 2)</c> is <c>MaxPool(x, kernel_shape=[2, 2], strides=[2, 2])</c>.
/// </summary>
internal static class LayerHelpers
{
    private enum Spatial
    {
        AsIs,
        Pair,      // 2 -> [2, 2]
        Pads,      // 1 -> [1, 1, 1, 1], [a, b] -> [a, b, a, b]
    }

    private sealed record Helper(
        string OpType,
        string Usage,
        int MinValues,
        int MaxValues,
        string[] PositionalAttributes,
        (string Name, string OpAttribute, Spatial Form)[] Attributes,
        Dictionary<string, AttributeValue>? Fixed = null);

    private static readonly (string, string, Spatial)[] ConvAttributes =
        [("pads", "pads", Spatial.Pads), ("strides", "strides", Spatial.Pair), ("dilations", "dilations", Spatial.Pair), ("group", "group", Spatial.AsIs), ("auto_pad", "auto_pad", Spatial.AsIs)];

    private static readonly (string, string, Spatial)[] PoolAttributes =
        [("kernel", "kernel_shape", Spatial.Pair), ("strides", "strides", Spatial.Pair), ("pads", "pads", Spatial.Pads), ("ceil_mode", "ceil_mode", Spatial.AsIs)];

    private static Helper Unary(string op) => new(op, $"x |> {op.ToLowerInvariant()}", 1, 1, [], []);

    private static Helper Binary(string op) => new(op, $"{op.ToLowerInvariant()}(a, b)", 2, 2, [], []);

    private static readonly Dictionary<string, Helper> Table = new(StringComparer.Ordinal)
    {
        ["relu"] = Unary("Relu"),
        ["sigmoid"] = Unary("Sigmoid"),
        ["tanh"] = Unary("Tanh"),
        ["exp"] = Unary("Exp"),
        ["log"] = Unary("Log"),
        ["sqrt"] = Unary("Sqrt"),
        ["abs"] = Unary("Abs"),
        ["neg"] = Unary("Neg"),
        ["identity"] = Unary("Identity"),
        ["globalavgpool"] = Unary("GlobalAveragePool"),
        ["globalmaxpool"] = Unary("GlobalMaxPool"),
        ["add"] = Binary("Add"),
        ["sub"] = Binary("Sub"),
        ["mul"] = Binary("Mul"),
        ["div"] = Binary("Div"),
        ["matmul"] = Binary("MatMul"),
        ["leakyrelu"] = new("LeakyRelu", "leakyrelu(x, alpha=0.01)", 1, 1, [], [("alpha", "alpha", Spatial.AsIs)]),
        ["softmax"] = new("Softmax", "softmax(x, axis=-1)", 1, 1, [], [("axis", "axis", Spatial.AsIs)]),
        ["flatten"] = new("Flatten", "flatten(x, axis=1)", 1, 1, [], [("axis", "axis", Spatial.AsIs)]),
        ["concat"] = new("Concat", "concat(a, b, ..., axis=1)", 1, int.MaxValue, [], [("axis", "axis", Spatial.AsIs)]),
        ["transpose"] = new("Transpose", "transpose(x, perm=[0, 2, 1])", 1, 1, [], [("perm", "perm", Spatial.AsIs)]),
        ["reshape"] = new("Reshape", "reshape(x, shape)", 2, 2, [], []),
        ["conv2d"] = new("Conv", "conv2d(x, w, b, pads=0, strides=1, dilations=1, group=1)", 2, 3, [], ConvAttributes),
        ["dense"] = new("Gemm", "dense(x, w, b) with w shaped [out, in]", 2, 3, [], [],
            new() { ["transB"] = AttributeValue.FromInt(1) }),
        ["maxpool"] = new("MaxPool", "maxpool(x, kernel, strides=kernel, pads=0)", 1, 1, ["kernel"], PoolAttributes),
        ["avgpool"] = new("AveragePool", "avgpool(x, kernel, strides=kernel, pads=0)", 1, 1, ["kernel"],
            [.. PoolAttributes, ("count_include_pad", "count_include_pad", Spatial.AsIs)]),
        ["batchnorm"] = new("BatchNormalization", "batchnorm(x, scale, bias, mean, var, epsilon=1e-5)", 5, 5, [],
            [("epsilon", "epsilon", Spatial.AsIs), ("momentum", "momentum", Spatial.AsIs)]),
    };

    public static IEnumerable<string> Names => Table.Keys.Order(StringComparer.Ordinal);

    public static bool IsHelper(string name) => Table.ContainsKey(name);

    /// <summary>How many literal arguments the helper reads as settings (maxpool's kernel), before literal inputs.</summary>
    public static int PositionalSettings(string name) => Table[name].PositionalAttributes.Length;

    public static HelperExpansion? Expand(string name, IToken at, IReadOnlyList<HelperArgument> positional,
        IReadOnlyList<(string Name, IToken Token, AttributeValue Value)> named, DslProblems problems)
    {
        var helper = Table[name];
        var inputs = new List<string>();
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        var given = new List<(string Name, IToken Token, AttributeValue Value)>();
        int literalIndex = 0;
        bool ok = true;
        foreach (var argument in positional)
        {
            if (argument.Value is not null)
            {
                if (literalIndex > 0)
                {
                    problems.Error(argument.Token, "dsl.argument", $"{name} takes its values before its settings: {helper.Usage}");
                    ok = false;
                }
                inputs.Add(argument.Value);
            }
            else
            {
                // The caller leaves only as many literals as the helper has positional settings (the rest became constants).
                given.Add((helper.PositionalAttributes[literalIndex++], argument.Token, argument.Literal!));
            }
        }
        given.AddRange(named);
        if (inputs.Count < helper.MinValues || inputs.Count > helper.MaxValues)
        {
            string count = helper.MinValues == helper.MaxValues ? $"{helper.MinValues}"
                : helper.MaxValues == int.MaxValue ? $"at least {helper.MinValues}" : $"{helper.MinValues} or {helper.MaxValues}";
            problems.Error(at, "dsl.argument", $"{name} takes {count} value{(helper.MaxValues == 1 ? "" : "s")}, found {inputs.Count}; usage: {helper.Usage}");
            ok = false;
        }
        foreach (var (key, token, value) in given)
        {
            var spec = helper.Attributes.FirstOrDefault(a => a.Name == key);
            if (spec.Name is null)
            {
                string takes = helper.Attributes.Length == 0 ? "it takes none" : $"it takes {GeneratorArguments.Join([.. helper.Attributes.Select(a => a.Name)])}";
                problems.Error(token, "dsl.attribute", $"{name} has no setting '{key}'; {takes}{DslProblems.Suggest(key, helper.Attributes.Select(a => a.Name))}");
                ok = false;
                continue;
            }
            if (attributes.ContainsKey(spec.OpAttribute))
            {
                problems.Error(token, "dsl.attribute", $"{name} is given '{key}' twice");
                ok = false;
                continue;
            }
            var shaped = Shape(value, spec.Form);
            if (shaped is null)
            {
                problems.Error(token, "dsl.attribute", $"'{key}' of {name} must be an integer or a list of integers, found {value}");
                ok = false;
                continue;
            }
            attributes[spec.OpAttribute] = shaped;
        }
        if (helper.OpType is "MaxPool" or "AveragePool")
        {
            if (!attributes.TryGetValue("kernel_shape", out var kernel))
            {
                problems.Error(at, "dsl.argument", $"{name} needs a kernel size: {helper.Usage}");
                ok = false;
            }
            else if (!attributes.ContainsKey("strides"))
            {
                attributes["strides"] = kernel;
            }
        }
        foreach (var (key, value) in helper.Fixed ?? [])
        {
            attributes[key] = value;
        }
        return ok ? new HelperExpansion(helper.OpType, inputs, attributes) : null;
    }

    private static AttributeValue? Shape(AttributeValue value, Spatial form)
    {
        if (form == Spatial.AsIs)
        {
            return value;
        }
        if (value.Kind is not (AttributeKind.Int or AttributeKind.Ints))
        {
            return null;
        }
        var items = value.AsInts();
        return form switch
        {
            Spatial.Pair when value.Kind == AttributeKind.Int => AttributeValue.FromInts([items[0], items[0]]),
            Spatial.Pads when value.Kind == AttributeKind.Int => AttributeValue.FromInts([items[0], items[0], items[0], items[0]]),
            Spatial.Pads when items.Length == 2 => AttributeValue.FromInts([items[0], items[1], items[0], items[1]]),
            _ => value,
        };
    }
}
