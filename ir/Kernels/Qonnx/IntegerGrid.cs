namespace Neurite.Ir.Kernels.Qonnx;

/// <summary>
/// The rounding modes QONNX's Quant and Trunc name (the table in the IntQuant specification):
/// ROUND is half to even, UP and DOWN round away from and towards zero.
/// </summary>
public enum QonnxRounding { Round, Ceil, Floor, Up, Down, HalfUp, HalfDown }

/// <summary>
/// The integer grid a QONNX quantiser snaps to: the range a bit width, signedness and narrow
/// flag allow, and the rounding onto it. Values stay float32 throughout because the
/// specification's reference computes in the input's float32 (numpy), and bit-exact agreement
/// with it is the point.
/// </summary>
public static class IntegerGrid
{
    public static QonnxRounding ParseRounding(string text) => text.ToUpperInvariant() switch
    {
        "ROUND" or "HALF_EVEN" => QonnxRounding.Round,
        "CEIL" => QonnxRounding.Ceil,
        "FLOOR" => QonnxRounding.Floor,
        "UP" => QonnxRounding.Up,
        "DOWN" => QonnxRounding.Down,
        "HALF_UP" => QonnxRounding.HalfUp,
        "HALF_DOWN" => QonnxRounding.HalfDown,
        _ => throw new InvalidNodeException(
            $"rounding_mode must be one of ROUND, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN, not \"{text}\""),
    };

    /// <summary>Smallest integer of the grid: -2^(b-1) (+1 when narrow) if signed, else 0.</summary>
    public static double Min(bool signed, bool narrow, int bits) =>
        !signed ? 0 : -Math.Pow(2, bits - 1) + (narrow ? 1 : 0);

    /// <summary>Largest integer of the grid: 2^(b-1)-1 if signed, else 2^b-1 (2^b-2 when narrow).</summary>
    public static double Max(bool signed, bool narrow, int bits) =>
        signed ? Math.Pow(2, bits - 1) - 1 : Math.Pow(2, bits) - (narrow ? 2 : 1);

    public static float Round(float value, QonnxRounding mode) => mode switch
    {
        QonnxRounding.Round => MathF.Round(value, MidpointRounding.ToEven),
        QonnxRounding.Ceil => MathF.Ceiling(value),
        QonnxRounding.Floor => MathF.Floor(value),
        QonnxRounding.Up => value >= 0 ? MathF.Ceiling(value) : MathF.Floor(value),
        QonnxRounding.Down => MathF.Truncate(value),
        QonnxRounding.HalfUp => MathF.Round(value, MidpointRounding.AwayFromZero),
        QonnxRounding.HalfDown => HalfTowardsZero(value),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Nearest integer, ties towards zero (HALF_DOWN in the specification's table: 2.5 → 2, -2.5 → -2).</summary>
    private static float HalfTowardsZero(float value)
    {
        float truncated = MathF.Truncate(value);
        return MathF.Abs(value - truncated) == 0.5f ? truncated : MathF.Round(value, MidpointRounding.AwayFromZero);
    }

    /// <summary>The bit width input: a positive integer scalar (int or float that holds an integer).</summary>
    public static int BitWidth(Tensor bits, string name)
    {
        if (bits.Length != 1)
        {
            throw new InvalidNodeException($"{name} must be a scalar, got a tensor of shape [{string.Join(", ", bits.ShapeArray())}]");
        }
        double value = TensorConvert.Convert(bits, DataType.Float64).Span<double>()[0];
        if (value != Math.Floor(value) || value < 1 || value > 32)
        {
            throw new InvalidNodeException($"{name} must be a whole number of bits from 1 to 32, got {value}");
        }
        return (int)value;
    }
}
