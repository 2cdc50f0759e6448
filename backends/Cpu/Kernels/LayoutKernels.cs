using Neurite.Ir;

namespace Neurite.Backends.Cpu;

/// <summary>Copies a tensor (a reshape or identity whose result is a graph output, which needs its own storage); from a constant when <paramref name="constant"/> is given.</summary>
public sealed class CopyKernel(Node node, IReadOnlyList<string> inputs, string output, int length, float[]? constant = null) : Kernel(node, inputs, output)
{
    public override string Kind => "copy";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        string source = constant is null ? "x0" : weights.Add("value", constant);
        c.For("i", length, () => c.Line($"y[i] = {source}[i];"));
    }
}

/// <summary>Transpose by any permutation: a loop nest over the output with the input's permuted strides as literals; <paramref name="elementType"/> is the C type it moves.</summary>
public sealed class TransposeKernel(Node node, string input, string output, int[] inputShape, int[] permutation, string elementType = "float") : Kernel(node, [input], output)
{
    public override string Kind => "transpose";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        var inputStrides = new int[inputShape.Length];
        for (int a = inputShape.Length - 1, s = 1; a >= 0; s *= inputShape[a], a--)
        {
            inputStrides[a] = s;
        }
        var outShape = permutation.Select(p => inputShape[p]).ToArray();
        int rank = outShape.Length;
        void Level(int axis, string xi)
        {
            if (axis == rank)
            {
                c.Line($"*out++ = x0[{xi}];");
                return;
            }
            string i = $"i{axis}";
            int stride = inputStrides[permutation[axis]];
            c.For(i, outShape[axis], () => Level(axis + 1, $"{xi} + {i} * {stride}"));
        }
        c.Line($"{elementType}* restrict out = y;");
        Level(0, "0");
    }
}

/// <summary>Concat along an axis: for each outer index, each input's contiguous block is copied in turn.</summary>
public sealed class ConcatKernel(Node node, IReadOnlyList<string> inputs, string output, int outer, int[] blocks, IReadOnlyList<float[]?> constants) : Kernel(node, inputs, output)
{
    public override string Kind => "concat";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        var sources = new List<string>();
        int runtime = 0;
        for (int i = 0; i < blocks.Length; i++)
        {
            sources.Add(constants[i] is float[] values ? weights.Add($"part{i}", values) : $"x{runtime++}");
        }
        int total = blocks.Sum();
        c.For("o", outer, () =>
        {
            int offset = 0;
            for (int i = 0; i < blocks.Length; i++)
            {
                int block = blocks[i];
                if (block > 0)
                {
                    string at = offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    c.For("j", block, () => c.Line($"y[o * {total} + {at} + j] = {sources[i]}[o * {block} + j];"));
                }
                offset += block;
            }
        });
    }
}

/// <summary>Softmax over the trailing <paramref name="inner"/> elements of each row (max-subtracted, like the interpreter).</summary>
public sealed class SoftmaxKernel(Node node, string input, string output, int rows, int inner, int stride, bool logarithm) : Kernel(node, [input], output)
{
    public override string Kind => logarithm ? "logsoftmax" : "softmax";

    /// <summary>Rows are [outer, axis, innerStride]: element j of row (o, s) is at (o·axis + j)·stride + s.</summary>
    public override void EmitBody(CSource c, WeightTable weights)
    {
        int outer = rows / stride;
        c.For("o", outer, () => c.For("s", stride, () =>
        {
            c.Line($"const float* restrict in = x0 + o * {inner * stride} + s;");
            c.Line($"float* restrict out = y + o * {inner * stride} + s;");
            c.Line("float top = in[0];");
            c.For("j", inner, () => c.Line($"top = in[j * {stride}] > top ? in[j * {stride}] : top;"), start: 1);
            c.Line("float sum = 0.0f;");
            if (logarithm)
            {
                c.For("j", inner, () => c.Line($"sum += expf(in[j * {stride}] - top);"));
                c.Line("const float log_sum = logf(sum);");
                c.For("j", inner, () => c.Line($"out[j * {stride}] = in[j * {stride}] - top - log_sum;"));
            }
            else
            {
                c.For("j", inner, () =>
                {
                    c.Line($"const float e = expf(in[j * {stride}] - top);");
                    c.Line($"out[j * {stride}] = e;");
                    c.Line("sum += e;");
                });
                c.For("j", inner, () => c.Line($"out[j * {stride}] /= sum;"));
            }
        }));
    }
}

/// <summary>Pad in constant, reflect or edge mode, for any rank, with pads known at compile time.</summary>
public sealed class PadKernel(Node node, string input, string output, int[] inputShape, int[] padsBegin, string mode, float value) : Kernel(node, [input], output)
{
    public override string Kind => "pad";

    public override void EmitBody(CSource c, WeightTable weights)
    {
        int rank = inputShape.Length;
        var inputStrides = new int[rank];
        for (int a = rank - 1, s = 1; a >= 0; s *= inputShape[a], a--)
        {
            inputStrides[a] = s;
        }
        c.Line("float* restrict out = y;");
        void Level(int axis, string xi, string inside)
        {
            if (axis == rank)
            {
                c.Line(mode == "constant" ? $"*out++ = ({inside}) ? x0[{xi}] : {CLiteral.Float(value)};" : $"*out++ = x0[{xi}];");
                return;
            }
            string i = $"i{axis}", j = $"j{axis}";
            c.For(i, OutputShape[axis], () =>
            {
                c.Line($"int {j} = {i} - {padsBegin[axis]};");
                if (mode == "reflect")
                {
                    c.Line($"{j} = {j} < 0 ? -{j} : ({j} >= {inputShape[axis]} ? {2 * inputShape[axis] - 2} - {j} : {j});");
                }
                else if (mode == "edge")
                {
                    c.Line($"{j} = {j} < 0 ? 0 : ({j} >= {inputShape[axis]} ? {inputShape[axis] - 1} : {j});");
                }
                string condition = mode == "constant" ? $"{inside} && {j} >= 0 && {j} < {inputShape[axis]}" : inside;
                string index = mode == "constant" ? $"{xi} + ({j} >= 0 && {j} < {inputShape[axis]} ? {j} : 0) * {inputStrides[axis]}" : $"{xi} + {j} * {inputStrides[axis]}";
                Level(axis + 1, index, condition);
            });
        }
        Level(0, "0", "1");
    }

    public int[] OutputShape { get; init; } = [];
}
