using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Report;

namespace Neurite;

/// <summary>
/// An integer quantisation: the integer-only graph (neurite.QConv/QGemm/QAdd between one
/// QuantizeLinear and one DequantizeLinear per boundary), what was done to each layer, and its
/// report (schemes, scales, SQNR, mixed-precision decisions).
/// </summary>
public sealed class IntegerQuantizedModel : QuantizedModel
{
    internal IntegerQuantizedModel(NeuriteModel model, Model floatModel, QuantizationResult result, QuantizeSettings settings, IReadOnlyList<string> passes, IntegerQuantizationReport? report)
        : base(model, floatModel, settings, passes, [])
    {
        Result = result;
        Report = report;
    }

    public QuantizationResult Result { get; }

    public override IntegerQuantizationReport? Report { get; }

    /// <summary>The integer graph as QDQ ONNX (DequantizeLinear, float op, QuantizeLinear per layer), which ONNX Runtime runs.</summary>
    public Model ToQdq() => QdqExport.Convert(Model.Model);

    public override Model ToOnnx() => ToQdq();
}
