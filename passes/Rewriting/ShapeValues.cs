using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// One element of a shape vector computed in the graph: a known number, or "dimension
/// <see cref="Axis"/> of <see cref="Source"/>" when that dimension is only known at run time.
/// </summary>
public readonly record struct ShapeElement(long? Value, string? Source, int Axis)
{
    public static ShapeElement Known(long value) => new(value, null, 0);
    public static ShapeElement DimensionOf(string source, int axis) => new(null, source, axis);
}

/// <summary>
/// Evaluates the int64 shape arithmetic exporters write (Shape, Gather, Slice, Unsqueeze,
/// Squeeze, Concat, Cast, constants) symbolically: each element is a number or a reference to a
/// run-time dimension of some tensor. PyTorch's <c>x.view(x.size(0), -1)</c> becomes
/// [dim 0 of x, -1], which a Reshape of x can state as [0, -1] without any shape computation.
/// </summary>
public static class ShapeValues
{
    /// <summary>The elements of a 1-D (or scalar) int64 value, or null when it is not shape arithmetic this understands.</summary>
    public static ShapeElement[]? Of(string value, GraphEditor graph, int depth = 0)
    {
        if (depth > 32)
        {
            return null;
        }
        if (graph.Constant(value) is Tensor constant)
        {
            return constant.DataType == DataType.Int64 && constant.Rank <= 1 ? constant.ToInt64Array().Select(ShapeElement.Known).ToArray() : null;
        }
        if (graph.Producer(value) is not { Domain: "" } node || node.Outputs[0] != value)
        {
            return null;
        }
        return node.OpType switch
        {
            "Shape" => OfShape(node, graph),
            "Cast" => RewriteHelpers.IntAttr(node, "to", 0) == 7 ? Of(node.Inputs[0], graph, depth + 1) : null,
            "Identity" => Of(node.Inputs[0], graph, depth + 1),
            "Unsqueeze" or "Squeeze" => Of(node.Inputs[0], graph, depth + 1),
            "Concat" => Concat(node, graph, depth),
            "Gather" => Gather(node, graph, depth),
            "Slice" => Slice(node, graph, depth),
            _ => null,
        };
    }

    private static ShapeElement[]? OfShape(Node node, GraphEditor graph)
    {
        if (graph.TensorTypeOf(node.Inputs[0]) is not { Shape.IsRankKnown: true } type)
        {
            return null;
        }
        int rank = type.Shape.Rank;
        int start = Clamp(RewriteHelpers.IntAttr(node, "start", 0), rank);
        int end = Clamp(node.Attribute("end")?.AsInt() ?? rank, rank);
        return Enumerable.Range(start, Math.Max(0, end - start))
            .Select(i => type.Shape[i].IsKnown ? ShapeElement.Known(type.Shape[i].Value) : ShapeElement.DimensionOf(node.Inputs[0], i))
            .ToArray();
    }

    private static ShapeElement[]? Concat(Node node, GraphEditor graph, int depth)
    {
        var parts = new List<ShapeElement>();
        foreach (var input in node.Inputs)
        {
            if (Of(input, graph, depth + 1) is not ShapeElement[] part)
            {
                return null;
            }
            parts.AddRange(part);
        }
        return [.. parts];
    }

    private static ShapeElement[]? Gather(Node node, GraphEditor graph, int depth)
    {
        if (RewriteHelpers.IntAttr(node, "axis", 0) != 0 || Of(node.Inputs[0], graph, depth + 1) is not ShapeElement[] data
            || graph.Constant(node.Inputs[1]) is not { Rank: <= 1 } indices)
        {
            return null;
        }
        var picked = new ShapeElement[indices.Length];
        for (int i = 0; i < picked.Length; i++)
        {
            long index = indices.GetInt64(i);
            index = index < 0 ? index + data.Length : index;
            if (index < 0 || index >= data.Length)
            {
                return null;
            }
            picked[i] = data[index];
        }
        return picked;
    }

    private static ShapeElement[]? Slice(Node node, GraphEditor graph, int depth)
    {
        if (node.Inputs.Length < 3 || Of(node.Inputs[0], graph, depth + 1) is not ShapeElement[] data
            || graph.Constant(node.Inputs[1]) is not { Length: 1 } starts || graph.Constant(node.Inputs[2]) is not { Length: 1 } ends
            || (node.Inputs.Length > 3 && node.Inputs[3].Length > 0 && graph.Constant(node.Inputs[3]) is not { Length: 1 })
            || (node.Inputs.Length > 4 && node.Inputs[4].Length > 0 && graph.Constant(node.Inputs[4]) is not { Length: 1 }))
        {
            return null;
        }
        if (node.Inputs.Length > 4 && node.Inputs[4].Length > 0 && graph.Constant(node.Inputs[4])!.GetInt64(0) != 1)
        {
            return null;
        }
        int start = Clamp(starts.GetInt64(0), data.Length), end = Clamp(ends.GetInt64(0), data.Length);
        return data[start..Math.Max(start, end)];
    }

    private static int Clamp(long index, int length) => (int)Math.Clamp(index < 0 ? index + length : index, 0, length);
}
