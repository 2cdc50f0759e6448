namespace Neurite.Ir.Ops;

/// <summary>
/// Random numbers for the random ops and training-mode Dropout. With a "seed" attribute each
/// evaluation starts a generator from that seed, so a run is reproducible (but not the numpy
/// stream the ONNX reference draws from); without one each evaluation draws fresh values.
/// </summary>
internal static class RandomSource
{
    public static Random For(OpContext context)
    {
        if (!context.HasAttribute("seed"))
        {
            return new Random();
        }
        float seed = context.Float("seed");
        // The seed is a float; integral seeds keep their value, others are taken by their bits.
        return new Random(seed == MathF.Floor(seed) && Math.Abs(seed) < int.MaxValue ? (int)seed : BitConverter.SingleToInt32Bits(seed));
    }

    /// <summary>Values drawn uniformly from [low, high).</summary>
    public static double[] Uniform(Random random, int count, double low, double high)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }
        return values;
    }

    /// <summary>Values drawn from N(mean, scale²), by the Box-Muller transform.</summary>
    public static double[] Normal(Random random, int count, double mean, double scale)
    {
        var values = new double[count];
        for (int i = 0; i < count; i += 2)
        {
            // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            double angle = 2.0 * Math.PI * random.NextDouble();
            values[i] = mean + scale * radius * Math.Cos(angle);
            if (i + 1 < count)
            {
                values[i + 1] = mean + scale * radius * Math.Sin(angle);
            }
        }
        return values;
    }
}
