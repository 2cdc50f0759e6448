using Neurite.Ir;
using Neurite.Passes.Quantize.FixedPoint;
using Neurite.Passes.Quantize.Report;

namespace Neurite;

/// <summary>
/// A fixed-point quantisation: the graph of neurite.FixedConv/FixedGemm/FixedAdd between
/// neurite.ToFixed and neurite.FromFixed, each layer's types and overflow analysis, the
/// quantiser's overflow warnings, and its report (types, accumulator widths, SQNR, sizes in W-bit
/// words).
/// </summary>
public sealed class FixedPointQuantizedModel : QuantizedModel
{
    internal FixedPointQuantizedModel(NeuriteModel model, Model floatModel, FixedPointResult result, QuantizeSettings settings, IReadOnlyList<string> passes, FixedPointQuantizationReport? report)
        : base(model, floatModel, settings, passes, result.Diagnostics)
    {
        Result = result;
        Report = report;
    }

    public FixedPointResult Result { get; }

    public override FixedPointQuantizationReport? Report { get; }

    /// <summary>What an <c>.onnx</c> file of a fixed-point model holds and who can run it: a note for its user.</summary>
    public const string OnnxNote =
        "ONNX with Neurite's fixed-point ops (domain neurite: ToFixed, FixedGemm, FixedConv, FixedAdd, FromFixed), which Neurite reads back and runs bit for bit; ONNX Runtime cannot run them (QDQ cannot express truncation and wrapping exactly)";

    /// <summary>
    /// The fixed-point graph itself, its ops in the neurite domain with their types as string
    /// attributes. Not QDQ: QuantizeLinear rounds half to even only, saturates at its storage type
    /// rather than at W bits and cannot wrap, and nothing in QDQ truncates an accumulator into a
    /// result type, so a QDQ model would compute other numbers than the hardware does, and a
    /// golden test against it would test nothing. ONNX Runtime cannot run these ops; Neurite reads
    /// them back and computes the same bits.
    /// </summary>
    public override Model ToOnnx() => Model.Model;
}
