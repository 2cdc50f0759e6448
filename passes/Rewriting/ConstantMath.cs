using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Arithmetic on constant tensors for rewrites that fold weights (BatchNormalization into Conv,
/// a constant Mul into a Gemm). It runs the reference ops themselves, so a folded weight is
/// computed with exactly the broadcasting and rounding the interpreter uses.
/// </summary>
public static class ConstantMath
{
    private const int Opset = 17;

    public static Tensor Add(Tensor a, Tensor b) => Run("Add", [a, b]);
    public static Tensor Sub(Tensor a, Tensor b) => Run("Sub", [a, b]);
    public static Tensor Mul(Tensor a, Tensor b) => Run("Mul", [a, b]);
    public static Tensor Div(Tensor a, Tensor b) => Run("Div", [a, b]);
    public static Tensor Sqrt(Tensor a) => Run("Sqrt", [a]);

    public static Tensor Transpose(Tensor a, params int[] perm) => Run("Transpose", [a], new() { ["perm"] = perm });

    public static Tensor Reshape(Tensor a, params int[] shape) => a.Reshape(shape);

    public static Tensor Scalar(float value) => Tensor.Create([value]);

    /// <summary>Broadcasts <paramref name="a"/> to <paramref name="shape"/> (numpy rules).</summary>
    public static Tensor Expand(Tensor a, params int[] shape) => Run("Expand", [a, Tensor.Create(shape.Select(s => (long)s).ToArray(), shape.Length)]);

    /// <summary>Reshapes a vector of one value per channel so it broadcasts along <paramref name="axis"/> of a rank-<paramref name="rank"/> tensor.</summary>
    public static Tensor AlongAxis(Tensor vector, int axis, int rank)
    {
        var shape = Enumerable.Repeat(1, rank).ToArray();
        shape[axis] = vector.Length;
        return vector.Reshape(shape);
    }

    private static Tensor Run(string opType, Tensor[] inputs, Dictionary<string, AttributeValue>? attributes = null)
    {
        var node = new Node($"constant-{opType}", opType, inputs.Select((_, i) => $"in{i}"), ["out"], attributes);
        var op = OpRegistry.Default.Find("", opType)!;
        var result = ConstantEvaluator.TryEvaluate(node, op, Opset, inputs);
        return result?[0] as Tensor ?? throw new InvalidNodeException($"folding constants with {opType} failed on [{string.Join("], [", inputs.Select(t => string.Join(", ", t.ShapeArray())))}]");
    }

    /// <summary>
    /// The per-channel values of a constant that broadcasts against an output of rank <paramref name="rank"/>
    /// without growing it, when it varies along <paramref name="axis"/> only (or not at all): a
    /// vector of <paramref name="channels"/> values, else null.
    /// </summary>
    public static Tensor? PerChannel(Tensor constant, int axis, int rank, int channels)
    {
        var shape = constant.ShapeArray();
        if (shape.Length > rank)
        {
            return null;
        }
        int offset = rank - shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            bool isChannelAxis = i + offset == axis;
            if (shape[i] != 1 && !(isChannelAxis && shape[i] == channels))
            {
                return null;
            }
        }
        var flat = constant.Reshape([constant.Length]);
        return constant.Length == channels ? flat : Expand(flat, channels);
    }
}
