namespace Neurite.Passes.Quantize.Calibration;

/// <summary>
/// Calibrated ranges for every activation width a quantisation asks for: entropy and MSE clip
/// differently for an int16 grid than for an int8 one, and int16 is symmetric, so a model with
/// some int16 layers needs a second table from the same statistics. Tables are made on first
/// use and kept (one calibration serves every trial of a mixed-precision search).
/// </summary>
public sealed class CalibrationTables
{
    private readonly Func<int, CalibrationTable> make;
    private readonly Dictionary<int, CalibrationTable> tables = [];

    private CalibrationTables(Func<int, CalibrationTable> make)
    {
        this.make = make;
    }

    /// <summary>Tables from a calibrator's statistics, chosen with <paramref name="method"/> for each width.</summary>
    public CalibrationTables(Calibrator calibrator, CalibrationMethod method, double percentile = 99.999, bool symmetricActivations = false)
        : this(bits => calibrator.Ranges(new CalibrationOptions(method, percentile, bits, QuantizationOptions.IsSymmetric(symmetricActivations, bits))))
    {
    }

    /// <summary>One table for every width (when only one was calibrated, or the ranges do not depend on the width, as with MinMax).</summary>
    public static CalibrationTables Fixed(CalibrationTable table) => new(_ => table);

    public CalibrationTable For(int activationBits)
    {
        lock (tables)
        {
            if (!tables.TryGetValue(activationBits, out var table))
            {
                tables[activationBits] = table = make(activationBits);
            }
            return table;
        }
    }
}
