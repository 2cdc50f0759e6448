using Neurite.Ir.Kernels;
using Neurite.Ir.Kernels.Signal;

namespace Neurite.Ir.Ops;

/// <summary>
/// The window ops of opset 17 (HannWindow, HammingWindow, BlackmanWindow): a 1-D window of
/// <c>size</c> samples, periodic (the first samples of a window of size + 1, as spectral analysis
/// wants) or symmetric, in the element type <c>output_datatype</c> names.
/// </summary>
public abstract class WindowFunction : OpDefinition
{
    public override int SinceVersion => 17;

    public override OpSignature Signature { get; } = OpSignature.Create()
        .Input("size").Output("output")
        .Attr("periodic", 1L)
        .Attr("output_datatype", 1L)
        .Build();

    /// <summary>The window at sample <paramref name="n"/> where <paramref name="period"/> is the length of one full cosine cycle.</summary>
    protected abstract double Value(int n, double period);

    public override IReadOnlyList<IrType?> InferTypes(InferenceContext context)
    {
        var element = OnnxTypeCodes.RequireNumeric(context.Int("output_datatype"), "output_datatype");
        long? size = SignalScalars.ConstantInteger(context, 0, "size");
        return [new TensorType(element, size is long s ? Shape.Of(Length(s)) : Shape.OfRank(1))];
    }

    public override void Evaluate(EvaluationContext context)
    {
        var element = OnnxTypeCodes.RequireNumeric(context.Int("output_datatype"), "output_datatype");
        int count = Length(SignalScalars.Integer(context.Input(0), "size"));
        double period = context.Int("periodic") != 0 ? count : count - 1;
        var window = new double[count];
        for (int n = 0; n < count; n++)
        {
            // A symmetric window of one sample has no cycle to follow; it is the peak value alone.
            window[n] = period > 0 ? Value(n, period) : 1.0;
        }
        context.SetOutput(0, TensorConvert.Convert(Tensor.Create(window, count), element));
    }

    private static int Length(long size) => size is >= 0 and <= int.MaxValue
        ? (int)size
        : throw new InvalidNodeException($"size must be between 0 and {int.MaxValue}, got {size}");
}
