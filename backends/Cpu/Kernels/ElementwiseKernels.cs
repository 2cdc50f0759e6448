using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>A chain of element ops over one tensor, as one loop (an activation on its own, or several fused).</summary>
public sealed class UnaryKernel(Node node, string input, string output, int length, ElementOp first) : Kernel(node, [input], output)
{
    public override string Kind => "unary";

    public List<ElementOp> Epilogue { get; } = [first];

    public override void EmitBody(CSource c, WeightTable weights) => c.For("i", length, () =>
    {
        c.Line("float v = x0[i];");
        foreach (var op in Epilogue)
        {
            c.Line(op.Statement("v"));
        }
        c.Line("y[i] = v;");
    });
}

/// <summary>
/// Add, Sub, Mul, Div, Pow, Max, Min with NumPy broadcasting. Each operand is a runtime tensor or
/// a constant array; the loop nest runs over the output shape with the operands' strides (0 on a
/// broadcast axis) as literals, so the innermost loop is contiguous or a splat.
/// </summary>
public sealed class BinaryKernel : Kernel
{
    private readonly string op;
    private readonly int[] shape;
    private readonly Operand left, right;

    /// <summary>An operand: runtime input <c>x{Index}</c> or a constant, with its shape.</summary>
    public sealed record Operand(int? Index, Tensor? Constant, int[] Shape);

    public BinaryKernel(Node node, IReadOnlyList<string> inputs, string output, string op, int[] shape, Operand left, Operand right)
        : base(node, inputs, output)
    {
        this.op = op;
        this.shape = shape;
        this.left = left;
        this.right = right;
    }

    public override string Kind => "binary";

    public List<ElementOp> Epilogue { get; } = [];

    public override void EmitBody(CSource c, WeightTable weights)
    {
        string a = Name(left, "a", weights), b = Name(right, "b", weights);
        var aStrides = Strides(left.Shape);
        var bStrides = Strides(right.Shape);
        int rank = shape.Length;
        void Level(int axis, string ai, string bi, string yi)
        {
            if (axis == rank)
            {
                c.Line($"float v = {Combine($"{a}[{ai}]", $"{b}[{bi}]")};");
                foreach (var e in Epilogue)
                {
                    c.Line(e.Statement("v"));
                }
                c.Line($"y[{yi}] = v;");
                return;
            }
            string i = $"i{axis}";
            c.For(i, shape[axis], () => Level(axis + 1, Index(ai, i, aStrides[axis]), Index(bi, i, bStrides[axis]), Index(yi, i, OutStride(axis))));
        }
        Level(0, "0", "0", "0");
    }

    private int OutStride(int axis) => shape.Skip(axis + 1).Aggregate(1, (p, d) => p * d);

    private static string Index(string outer, string variable, int stride) =>
        stride == 0 ? outer : outer == "0" ? (stride == 1 ? variable : $"{variable} * {stride}") : $"{outer} + {(stride == 1 ? variable : $"{variable} * {stride}")}";

    /// <summary>The operand's stride along each output axis (right-aligned; 0 where it broadcasts).</summary>
    private int[] Strides(int[] operand)
    {
        var strides = new int[shape.Length];
        int stride = 1;
        for (int axis = shape.Length - 1, o = operand.Length - 1; axis >= 0; axis--, o--)
        {
            if (o < 0 || operand[o] == 1)
            {
                strides[axis] = 0;
            }
            else
            {
                strides[axis] = stride;
            }
            if (o >= 0)
            {
                stride *= operand[o];
            }
        }
        return strides;
    }

    private static string Name(Operand operand, string role, WeightTable weights) =>
        operand.Index is int index ? $"x{index}" : weights.Add(role, operand.Constant!.Span<float>().ToArray());

    private string Combine(string a, string b) => op switch
    {
        "Add" => $"{a} + {b}",
        "Sub" => $"{a} - {b}",
        "Mul" => $"{a} * {b}",
        "Div" => $"{a} / {b}",
        "Pow" => $"powf({a}, {b})",
        "Max" => $"fmaxf({a}, {b})",
        "Min" => $"fminf({a}, {b})",
        _ => throw new InvalidOperationException(op),
    };
}

/// <summary>y = x·scale[c] + shift[c] over [N, C, ...]: BatchNormalization in inference form, precomputed at compile time.</summary>
public sealed class ChannelAffineKernel(Node node, string input, string output, int batch, int channels, int inner, float[] scale, float[] shift)
    : Kernel(node, [input], output)
{
    public override string Kind => "affine";

    public List<ElementOp> Epilogue { get; } = [];

    public override void EmitBody(CSource c, WeightTable weights)
    {
        string s = weights.Add("scale", scale), t = weights.Add("shift", shift);
        c.For("n", batch, () => c.For("ch", channels, () =>
        {
            c.Line($"const float* restrict in = x0 + (n * {channels} + ch) * {inner};");
            c.Line($"float* restrict out = y + (n * {channels} + ch) * {inner};");
            c.Line($"const float a = {s}[ch], b = {t}[ch];");
            c.For("i", inner, () =>
            {
                c.Line("float v = in[i] * a + b;");
                foreach (var op in Epilogue)
                {
                    c.Line(op.Statement("v"));
                }
                c.Line("out[i] = v;");
            });
        }));
    }
}
