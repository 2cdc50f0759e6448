namespace Neurite.Ir.Kernels.Quantization;

/// <summary>
/// The geometry of an N-d convolution from the Conv attributes (auto_pad, dilations, group,
/// kernel_shape, pads, strides): per spatial axis the kernel, stride, dilation, the padding at
/// each end and the output size. Shared by the integer convolutions, for running and for inference.
/// </summary>
public sealed class ConvGeometry
{
    private ConvGeometry(int[] input, int[] kernel, int[] strides, int[] dilations, int[] padsBegin, int[] padsEnd, int[] output, int group)
    {
        Input = input;
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        PadsBegin = padsBegin;
        PadsEnd = padsEnd;
        Output = output;
        Group = group;
    }

    public int[] Input { get; }
    public int[] Kernel { get; }
    public int[] Strides { get; }
    public int[] Dilations { get; }
    public int[] PadsBegin { get; }
    public int[] PadsEnd { get; }
    public int[] Output { get; }
    public int Group { get; }
    public int SpatialRank => Input.Length;
    public int KernelSize => Tensor.ElementCountOf(Kernel);
    public int OutputSize => Tensor.ElementCountOf(Output);
    public int InputSize => Tensor.ElementCountOf(Input);

    /// <summary>
    /// The geometry seen as 3-d, leading axes of size 1 (kernel and stride 1, no padding), so one
    /// patch walk serves 1-d, 2-d and 3-d convolutions. Computed once per call, not per element.
    /// </summary>
    public Geometry3D As3D()
    {
        int shift = 3 - SpatialRank;
        int[] Lift(int[] values, int fill) => Enumerable.Range(0, 3).Select(d => d >= shift ? values[d - shift] : fill).ToArray();
        return new Geometry3D(Lift(Input, 1), Lift(Kernel, 1), Lift(Strides, 1), Lift(Dilations, 1), Lift(PadsBegin, 0), Lift(Output, 1));
    }

    /// <summary>True for a 1×1 kernel with unit strides and no padding: the input is its own column matrix.</summary>
    public bool IsPointwise => Kernel.All(k => k == 1) && Strides.All(s => s == 1)
        && PadsBegin.All(p => p == 0) && PadsEnd.All(p => p == 0);

    /// <summary>The signature attributes every convolution takes.</summary>
    public static OpSignature.Builder AddAttributes(OpSignature.Builder builder) => builder
        .Attr("auto_pad", "NOTSET")
        .Attr("dilations", AttributeKind.Ints)
        .Attr("group", 1L)
        .Attr("kernel_shape", AttributeKind.Ints)
        .Attr("pads", AttributeKind.Ints)
        .Attr("strides", AttributeKind.Ints);

    /// <summary>Geometry for input x (N, C, spatial...) and weights w (M, C/group, kernel...).</summary>
    public static ConvGeometry Create(OpContext context, ReadOnlySpan<int> x, ReadOnlySpan<int> w)
    {
        var dims = Infer(context, Shape.Of(x), Shape.Of(w)) ?? throw new InvalidNodeException("the convolution geometry cannot be worked out");
        int group = (int)context.Int("group", 1);
        return new ConvGeometry(x[2..].ToArray(), dims.Kernel.Select(v => (int)v!).ToArray(), dims.Strides, dims.Dilations,
            dims.PadsBegin.Select(v => (int)v!).ToArray(), dims.PadsEnd.Select(v => (int)v!).ToArray(),
            dims.Output.Select(v => (int)v!).ToArray(), group);
    }

    /// <summary>The output shape (N, M, spatial...) where the input shapes allow; null when the ranks are unknown.</summary>
    public static Shape? OutputShape(OpContext context, Shape x, Shape w)
    {
        var dims = Infer(context, x, w);
        if (dims is null)
        {
            return null;
        }
        var result = new List<Dim> { x.IsRankKnown ? x[0] : Dim.Unknown, w.IsRankKnown ? w[0] : Dim.Unknown };
        result.AddRange(dims.Output.Select(v => v is long size ? Dim.Known(size) : Dim.Unknown));
        return new Shape(result);
    }

    private sealed record Dims(long?[] Kernel, int[] Strides, int[] Dilations, long?[] PadsBegin, long?[] PadsEnd, long?[] Output);

    private static Dims? Infer(OpContext context, Shape x, Shape w)
    {
        if (!x.IsRankKnown && !w.IsRankKnown)
        {
            return null;
        }
        int rank = (x.IsRankKnown ? x.Rank : w.Rank) - 2;
        if (rank < 1)
        {
            throw new InvalidNodeException($"a convolution input needs a batch, a channel and at least one spatial axis; got shape {x}");
        }
        if (x.IsRankKnown && w.IsRankKnown && x.Rank != w.Rank)
        {
            throw new InvalidNodeException($"the input {x} and the weights {w} must have the same rank");
        }
        var kernelAttribute = context.Ints("kernel_shape");
        var kernel = new long?[rank];
        for (int i = 0; i < rank; i++)
        {
            kernel[i] = kernelAttribute is not null ? kernelAttribute[i]
                : w.IsRankKnown && w[2 + i].IsKnown ? w[2 + i].Value : null;
        }
        var strides = Ints(context, "strides", rank, 1);
        var dilations = Ints(context, "dilations", rank, 1);
        var pads = context.Ints("pads") ?? new long[2 * rank];
        if (pads.Length != 2 * rank)
        {
            throw new InvalidNodeException($"pads has {pads.Length} values; a {rank}-d convolution needs {2 * rank}");
        }
        string autoPad = context.String("auto_pad", "NOTSET");
        var begin = new long?[rank];
        var end = new long?[rank];
        var output = new long?[rank];
        for (int i = 0; i < rank; i++)
        {
            long? input = x.IsRankKnown && x[2 + i].IsKnown ? x[2 + i].Value : null;
            if (kernel[i] is not long k)
            {
                continue;
            }
            long extent = (k - 1) * dilations[i] + 1;
            switch (autoPad)
            {
                case "NOTSET" or "":
                    begin[i] = pads[i];
                    end[i] = pads[rank + i];
                    output[i] = input is long n ? (n + pads[i] + pads[rank + i] - extent) / strides[i] + 1 : null;
                    break;
                case "VALID":
                    begin[i] = end[i] = 0;
                    output[i] = input is long v ? (v - extent) / strides[i] + 1 : null;
                    break;
                case "SAME_UPPER" or "SAME_LOWER":
                    if (input is long s)
                    {
                        long outSize = (s + strides[i] - 1) / strides[i];
                        long total = Math.Max(0, (outSize - 1) * strides[i] + extent - s);
                        begin[i] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                        end[i] = total - begin[i];
                        output[i] = outSize;
                    }
                    break;
                default:
                    throw new InvalidNodeException($"auto_pad '{autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
            }
            if (output[i] is < 1)
            {
                throw new InvalidNodeException($"spatial axis {i} of size {input} is too small for a kernel extent of {extent}");
            }
        }
        return new Dims(kernel, strides, dilations, begin, end, output);
    }

    private static int[] Ints(OpContext context, string name, int rank, int fallback)
    {
        var values = context.Ints(name);
        if (values is null)
        {
            return Enumerable.Repeat(fallback, rank).ToArray();
        }
        if (values.Length != rank)
        {
            throw new InvalidNodeException($"{name} has {values.Length} values; a {rank}-d convolution needs {rank}");
        }
        return values.Select(v => v >= 1 ? (int)v : throw new InvalidNodeException($"{name} must be positive, got {v}")).ToArray();
    }
}

/// <summary>A convolution's geometry on exactly three spatial axes (depth, height, width); see <see cref="ConvGeometry.As3D"/>.</summary>
public sealed record Geometry3D(int[] Size, int[] Kernel, int[] Stride, int[] Dilation, int[] Pad, int[] Output);
