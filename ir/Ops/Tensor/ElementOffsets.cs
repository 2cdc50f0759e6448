using Neurite.Ir.Kernels;

namespace Neurite.Ir.Ops;

/// <summary>
/// The element addressing of GatherElements and ScatterElements: every position of "indices"
/// names the element of "data" at the same coordinates except along "axis", where the index value
/// is used instead.
/// </summary>
internal static class ElementOffsets
{
    /// <summary>For each element of <paramref name="indices"/>, the row-major offset in data of shape <paramref name="dataShape"/>.</summary>
    public static int[] Compute(ReadOnlySpan<int> dataShape, Tensor indices, int axis, string op)
    {
        var shape = indices.Shape;
        for (int d = 0; d < shape.Length; d++)
        {
            if (d != axis && shape[d] > dataShape[d])
            {
                throw new InvalidNodeException($"{op}: indices {TensorOpTypes.Format(shape)} exceed data {TensorOpTypes.Format(dataShape)} in dimension {d}");
            }
        }
        var values = TensorOpTypes.Indices(indices, "indices");
        var strides = Broadcasting.ContiguousStrides(dataShape);
        int dim = dataShape[axis];
        var offsets = new int[values.Length];
        Span<int> coordinate = stackalloc int[shape.Length];
        int baseOffset = 0;
        for (int i = 0; i < values.Length; i++)
        {
            offsets[i] = baseOffset + TensorOpTypes.Index(values[i], dim, op) * strides[axis];
            // Advance the coordinate odometer; the axis coordinate does not move the base offset.
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (d != axis)
                {
                    baseOffset += strides[d];
                }
                if (++coordinate[d] < shape[d])
                {
                    break;
                }
                if (d != axis)
                {
                    baseOffset -= strides[d] * shape[d];
                }
                coordinate[d] = 0;
            }
        }
        return offsets;
    }
}
