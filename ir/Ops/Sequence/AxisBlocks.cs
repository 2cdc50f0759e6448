namespace Neurite.Ir.Ops;

/// <summary>
/// Copies blocks of a tensor along one axis without looking at the elements: slicing a range
/// out of it and concatenating tensors. Works for every element type (strings included).
/// </summary>
internal static class AxisBlocks
{
    /// <summary>Elements [start, start + length) along <paramref name="axis"/>.</summary>
    public static Tensor Slice(Tensor tensor, int axis, int start, int length)
    {
        var shape = tensor.ShapeArray();
        var (outer, inner) = Extents(shape, axis);
        int extent = shape[axis];
        shape[axis] = length;
        if (tensor.DataType == DataType.String)
        {
            var strings = new string[outer * length * inner];
            for (int o = 0; o < outer; o++)
            {
                tensor.Strings.Slice((o * extent + start) * inner, length * inner).CopyTo(strings.AsSpan(o * length * inner));
            }
            return Tensor.CreateStrings(strings, shape);
        }
        int size = tensor.DataType.ByteSize();
        var bytes = new byte[(long)outer * length * inner * size];
        var source = tensor.Bytes;
        int block = length * inner * size;
        for (int o = 0; o < outer; o++)
        {
            source.Slice((o * extent + start) * inner * size, block).CopyTo(bytes.AsSpan(o * block));
        }
        return Tensor.FromOwnedBytes(tensor.ElementType, bytes, shape);
    }

    /// <summary>The items joined along <paramref name="axis"/>; all other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> items, int axis)
    {
        var first = items[0];
        var shape = first.ShapeArray();
        int total = 0;
        foreach (var item in items)
        {
            if (item.Rank != shape.Length)
            {
                throw new InvalidNodeException($"cannot concatenate tensors of rank {shape.Length} and {item.Rank}");
            }
            for (int d = 0; d < shape.Length; d++)
            {
                if (d != axis && item.Dim(d) != shape[d])
                {
                    throw new InvalidNodeException(
                        $"cannot concatenate shapes [{string.Join(",", shape)}] and [{string.Join(",", item.Shape.ToArray())}] along axis {axis}: dimension {d} differs");
                }
            }
            total += item.Dim(axis);
        }
        var (outer, inner) = Extents(shape, axis);
        shape[axis] = total;
        if (first.DataType == DataType.String)
        {
            var strings = new string[outer * total * inner];
            int offset = 0;
            for (int o = 0; o < outer; o++)
            {
                foreach (var item in items)
                {
                    int block = item.Dim(axis) * inner;
                    item.Strings.Slice(o * block, block).CopyTo(strings.AsSpan(offset));
                    offset += block;
                }
            }
            return Tensor.CreateStrings(strings, shape);
        }
        int size = first.DataType.ByteSize();
        var bytes = new byte[(long)outer * total * inner * size];
        int position = 0;
        for (int o = 0; o < outer; o++)
        {
            foreach (var item in items)
            {
                int block = item.Dim(axis) * inner * size;
                item.Bytes.Slice(o * block, block).CopyTo(bytes.AsSpan(position));
                position += block;
            }
        }
        return Tensor.FromOwnedBytes(first.ElementType, bytes, shape);
    }

    private static (int Outer, int Inner) Extents(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++)
        {
            outer *= shape[d];
        }
        for (int d = axis + 1; d < shape.Length; d++)
        {
            inner *= shape[d];
        }
        return (outer, inner);
    }
}
