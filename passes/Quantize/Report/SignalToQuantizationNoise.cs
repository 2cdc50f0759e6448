namespace Neurite.Passes.Quantize.Report;

/// <summary>
/// Signal-to-quantisation-noise ratio of an approximation x̂ of a reference x, accumulated over
/// any number of tensors: SQNR = 10 · log10(Σx² / Σ(x − x̂)²) dB. Sums are kept in double, so
/// millions of activations add up without losing the small noise terms.
/// </summary>
public sealed class SignalToQuantizationNoise
{
    public double SignalEnergy { get; private set; }

    public double NoiseEnergy { get; private set; }

    public long Count { get; private set; }

    /// <summary>+∞ when the approximation is exact; NaN before anything was added or when the reference is all zeros.</summary>
    public double Decibels => Count == 0 || SignalEnergy == 0 ? double.NaN : 10 * Math.Log10(SignalEnergy / NoiseEnergy);

    public void Add(ReadOnlySpan<float> reference, ReadOnlySpan<float> approximation)
    {
        if (reference.Length != approximation.Length)
        {
            throw new ArgumentException($"the reference has {reference.Length} values, the approximation {approximation.Length}");
        }
        double signal = 0, noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double x = reference[i], error = x - approximation[i];
            signal += x * x;
            noise += error * error;
        }
        SignalEnergy += signal;
        NoiseEnergy += noise;
        Count += reference.Length;
    }

    public void Add(SignalToQuantizationNoise other)
    {
        SignalEnergy += other.SignalEnergy;
        NoiseEnergy += other.NoiseEnergy;
        Count += other.Count;
    }
}
