namespace Neurite.Ir.Kernels;

/// <summary>Receives one row (a run of consecutive output elements) of a broadcast walk.</summary>
public interface IRowVisitor
{
    /// <summary>
    /// Output elements [outputOffset, outputOffset + length) read input i at
    /// inputOffsets[i] + j·innerStrides[i] for j = 0..length−1 (inner strides are 0 or 1).
    /// </summary>
    void Row(int outputOffset, int length, scoped ReadOnlySpan<int> inputOffsets, scoped ReadOnlySpan<int> innerStrides);
}

/// <summary>
/// Walks the index space of a numpy broadcast of any number of inputs row by row. Adjacent
/// dimensions that every input walks alike are merged first, so a row is as long as it can be
/// (an input of the output's shape, or a scalar, makes the whole output one row). No allocation
/// per element or row.
/// </summary>
public static class BroadcastWalk
{
    public static void Run<TVisitor>(ReadOnlySpan<int> shape, int[][] inputShapes, ref TVisitor visitor)
        where TVisitor : struct, IRowVisitor, allows ref struct
    {
        if (Tensor.ElementCountOf(shape) == 0)
        {
            return;
        }
        var (dims, strides) = Collapse(shape, inputShapes);
        int inputs = inputShapes.Length;
        int rowLength = dims[^1];
        int outerRank = dims.Length - 1;
        Span<int> offsets = stackalloc int[inputs];
        Span<int> innerStrides = stackalloc int[inputs];
        for (int i = 0; i < inputs; i++)
        {
            innerStrides[i] = strides[i][^1];
        }
        Span<int> index = stackalloc int[outerRank];
        for (int outputOffset = 0; ; outputOffset += rowLength)
        {
            visitor.Row(outputOffset, rowLength, offsets, innerStrides);
            // Advance the odometer over the outer dimensions; it wraps to all zeros after the last row.
            int d = outerRank - 1;
            for (; d >= 0; d--)
            {
                index[d]++;
                for (int i = 0; i < inputs; i++)
                {
                    offsets[i] += strides[i][d];
                }
                if (index[d] < dims[d])
                {
                    break;
                }
                for (int i = 0; i < inputs; i++)
                {
                    offsets[i] -= strides[i][d] * dims[d];
                }
                index[d] = 0;
            }
            if (d < 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The output dimensions with extents of 1 dropped and neighbours merged where every input
    /// either broadcasts both or holds both contiguously, with each input's element strides over
    /// them (0 where it broadcasts). Never empty: a single element is one dimension of extent 1.
    /// </summary>
    private static (int[] Dims, int[][] Strides) Collapse(ReadOnlySpan<int> shape, int[][] inputShapes)
    {
        int inputs = inputShapes.Length;
        var full = new int[inputs][];
        var strides = new int[inputs][];
        for (int i = 0; i < inputs; i++)
        {
            full[i] = Broadcasting.Strides(inputShapes[i], shape);
            strides[i] = new int[Math.Max(1, shape.Length)];
        }
        var dims = new int[Math.Max(1, shape.Length)];
        int count = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1)
            {
                continue;
            }
            bool merges = count > 0;
            for (int i = 0; i < inputs && merges; i++)
            {
                int outer = strides[i][count - 1], inner = full[i][d];
                merges = outer == 0 ? inner == 0 : inner != 0 && outer == inner * shape[d];
            }
            if (!merges)
            {
                count++;
                dims[count - 1] = 1;
            }
            dims[count - 1] *= shape[d];
            for (int i = 0; i < inputs; i++)
            {
                // A merged dimension steps like its inner part.
                strides[i][count - 1] = full[i][d];
            }
        }
        if (count == 0)
        {
            dims[0] = 1;
            count = 1;
        }
        return (dims[..count], strides.Select(s => s[..count]).ToArray());
    }
}
