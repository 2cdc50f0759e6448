using System.Globalization;
using System.Text;

namespace Neurite.Passes.Quantize.FixedPoint;

/// <summary>
/// The per-layer report as a plain-text table (one row per layer: types, calibrated ranges,
/// accumulator widths and overflow flags), so a command line and a log show the same thing.
/// </summary>
public static class FixedPointReport
{
    public static readonly string[] Columns =
        ["layer", "op", "input", "weights", "bias", "accumulator", "worst bits", "calibrated bits", "result", "output range", "overflow"];

    /// <summary>The cells of one row, in the order of <see cref="Columns"/>.</summary>
    public static string[] Cells(FixedPointLayer layer) =>
    [
        layer.Node,
        layer.FusedActivation is null ? layer.Op : $"{layer.Op}+{layer.FusedActivation}",
        string.Join(" + ", layer.Inputs.Select(FixedPointPrecision.Describe)),
        layer.Weights is null ? "-" : FixedPointPrecision.Describe(layer.Weights),
        layer.Bias is null ? "-" : FixedPointPrecision.Describe(layer.Bias),
        FixedPointPrecision.Describe(layer.Accumulator),
        layer.WorstCaseAccumulatorBits.ToString(CultureInfo.InvariantCulture),
        layer.CalibratedAccumulatorBits.ToString(CultureInfo.InvariantCulture),
        FixedPointPrecision.Describe(layer.Result),
        string.Create(CultureInfo.InvariantCulture, $"[{layer.OutputRange.Min:G4}, {layer.OutputRange.Max:G4}]"),
        (layer.AccumulatorCanOverflow, layer.ResultCanOverflow) switch
        {
            (true, true) => "accumulator, result",
            (true, false) => "accumulator",
            (false, true) => "result",
            _ => "-",
        },
    ];

    /// <summary>The rows under a header, columns padded to their widest cell.</summary>
    public static string Table(IEnumerable<FixedPointLayer> layers)
    {
        var rows = new List<string[]> { Columns };
        rows.AddRange(layers.Select(Cells));
        var widths = Enumerable.Range(0, Columns.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).Append('\n');
        }
        return text.ToString();
    }
}
