namespace Neurite.Testing;

/// <summary>
/// Inputs for hls4ml's jet-tagging MLP (<c>hls4ml/three_layer_keras.onnx</c>, 16 jet features),
/// which ../shared has no data set for: the distribution hls4ml's own test of this model draws
/// (test_qonnx.py, test_simple_model), uniform in [0, 1) and rounded to multiples of 2^-10 so that
/// fixed&lt;16,6&gt; holds them exactly. Seeded, so calibration and scoring use different draws.
/// </summary>
public static class JetTaggerInputs
{
    public const int Features = 16;

    /// <summary><paramref name="count"/> samples of <see cref="Features"/> values each, sample after sample.</summary>
    public static float[] Uniform(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * Features).Select(_ => (float)(Math.Round(random.NextDouble() * 1024) / 1024)).ToArray();
    }
}
