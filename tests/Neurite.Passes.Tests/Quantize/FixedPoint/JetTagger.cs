using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Testing;

namespace Neurite.Passes.Tests.Quantize.FixedPoint;

/// <summary>
/// hls4ml's jet-tagging MLP (16-64-32-32-5, ReLU, softmax), optimised with the onnx pipeline (its
/// MatMul + Add pairs become Gemms), calibrated once per run. Two input distributions: N(0, 1)
/// draws (its 16 jet features are standardised) and the one hls4ml's own test of this model
/// draws (test_qonnx.py, test_simple_model: uniform in [0, 1), rounded to 2^-10 so that
/// fixed&lt;16,6&gt; holds them exactly). Calibration and scoring use different seeds.
/// </summary>
internal static class JetTagger
{
    public const string Path = "hls4ml/three_layer_keras.onnx";
    public const int CalibrationSamples = 2000;

    private static readonly Lazy<Model> Optimised = new(() => Optimizer.Run(OnnxImporter.Load(SharedData.Path("models", Path)), "onnx").Model);
    private static readonly Lazy<CalibrationTable> NormalCalibration = new(() => Calibrate(Inputs(CalibrationSamples, seed: 1)));
    private static readonly Lazy<CalibrationTable> UniformCalibration = new(() => Calibrate(Hls4mlTestInputs(CalibrationSamples, seed: 1)));

    public static Model Float => Optimised.Value;

    /// <summary>Calibrated on N(0, 1) inputs.</summary>
    public static CalibrationTable Calibration => NormalCalibration.Value;

    /// <summary>Calibrated on inputs drawn as <see cref="Hls4mlTestInputs"/> draws them.</summary>
    public static CalibrationTable Hls4mlTestCalibration => UniformCalibration.Value;

    /// <summary>The original file's float weights by initializer name, for computations independent of the pass.</summary>
    public static Model Original() => OnnxImporter.Load(SharedData.Path("models", Path));

    /// <summary><paramref name="count"/> inputs [1, 16] of independent N(0, 1) features (Box-Muller, seeded).</summary>
    public static List<Tensor> Inputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
            Tensor.Create(Enumerable.Range(0, 16).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray(), 1, 16))
            .ToList();
    }

    /// <summary><paramref name="count"/> inputs [1, 16] as hls4ml's test draws them (<see cref="JetTaggerInputs.Uniform"/>): uniform in [0, 1), rounded to multiples of 2^-10.</summary>
    public static List<Tensor> Hls4mlTestInputs(int count, int seed)
    {
        var values = JetTaggerInputs.Uniform(count, seed);
        return Enumerable.Range(0, count).Select(n => Tensor.Create(values[(n * 16)..((n + 1) * 16)], 1, 16)).ToList();
    }

    /// <summary>The model's single output for every input.</summary>
    public static List<float[]> Run(Model model, IEnumerable<Tensor> inputs)
    {
        var interpreter = new Interpreter(model);
        string input = model.Graph.Inputs.Single().Name, output = model.Graph.Outputs.Single().Name;
        return inputs.Select(x => ((Tensor)interpreter.Run((input, (IValue)x))[output]).Span<float>().ToArray()).ToList();
    }

    public static double MaxDifference(List<float[]> expected, List<float[]> actual) =>
        expected.Zip(actual, (e, a) => e.Zip(a, (p, q) => Math.Abs((double)p - q)).Max()).Max();

    private static CalibrationTable Calibrate(IEnumerable<Tensor> samples)
    {
        var calibrator = new Calibrator(Float);
        string input = Float.Graph.Inputs.Single().Name;
        foreach (var x in samples)
        {
            calibrator.Observe(new Dictionary<string, IValue> { [input] = x });
        }
        return calibrator.Ranges(new CalibrationOptions(CalibrationMethod.MinMax));
    }
}
