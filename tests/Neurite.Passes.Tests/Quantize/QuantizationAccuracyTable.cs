using System.Globalization;
using System.Text;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize;

/// <summary>
/// The quantisation accuracy table: float, int8 per-channel with every calibration method, and
/// int4 weights, for LeNet-5, the BatchNormalization/max-pool CNN and ResNet-8, on the whole
/// Fashion-MNIST test set, written to artifacts/quantization/accuracy.md. Scoring fifteen
/// integer graphs on 10,000 images takes minutes, so it is a long run, outside the default suite
/// (<c>scripts/test.sh --full</c> runs it); the default suite checks the required cases in
/// <see cref="PostTrainingQuantizerTests"/>. This test asserts the same bounds and reports the other methods.
/// </summary>
public sealed class QuantizationAccuracyTable(ITestOutputHelper output)
{
    private static readonly string[] Networks = ["zoo/fmnist_lenet5.onnx", "zoo/fmnist_cnn_bn_maxpool.onnx", "zoo/fmnist_resnet8.onnx"];

    private static readonly CalibrationMethod[] Methods =
        [CalibrationMethod.MinMax, CalibrationMethod.Percentile, CalibrationMethod.Entropy, CalibrationMethod.Mse];

    [Fact]
    [Trait(LongRun.Trait, LongRun.Full)]
    public void EveryMethodOnEveryNetwork()
    {
        var test = DataSet.FashionMnist;
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"# Post-training quantisation on the Fashion-MNIST test set ({test.Count} images)");
        table.AppendLine();
        table.AppendLine(CultureInfo.InvariantCulture, $"Calibrated on the {ZooQuantization.CalibrationImages}-image calibration slice; int8 weights per output channel, int8 asymmetric activations; int4: 4-bit weights, int8 activations, percentile calibration. Difference to float in percentage points.");
        table.AppendLine();
        table.AppendLine("| network | float | " + string.Join(" | ", Methods.Select(m => $"int8 {m}")) + " | int4 weights |");
        table.AppendLine("|---|---:|" + string.Concat(Enumerable.Repeat("---:|", Methods.Length + 1)));
        var failures = new List<string>();
        foreach (string network in Networks)
        {
            var entry = ZooQuantization.Entry(network);
            var cells = new List<string>();
            double? floatAccuracy = null;
            foreach (var (method, options) in Methods.Select(m => (m, new QuantizationOptions())).Append((CalibrationMethod.Percentile, new QuantizationOptions(WeightBits: 4))))
            {
                var (model, result) = ZooQuantization.Quantise(network, method, options);
                floatAccuracy ??= ClassificationAccuracy.Score(model, entry, test, 0, test.Count);
                double accuracy = ClassificationAccuracy.Score(result.Model, entry, test, 0, test.Count);
                double drop = floatAccuracy.Value - accuracy;
                cells.Add(string.Create(CultureInfo.InvariantCulture, $"{accuracy:P2} ({-drop * 100:+0.00;-0.00})"));
                // The issue's bounds: int8 with percentile or entropy calibration within 0.3 pp on all
                // three, int4 weights within 1.5 pp on LeNet-5; MinMax, MSE and int4 elsewhere are reported.
                double? allowed = options.WeightBits == 4
                    ? (network.Contains("lenet5", StringComparison.Ordinal) ? 0.015 : null)
                    : (method is CalibrationMethod.Percentile or CalibrationMethod.Entropy ? 0.003 : null);
                if (drop > allowed)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"{network} w{options.WeightBits} {method}: drop {drop * 100:F2} pp > {allowed * 100:F1} pp"));
                }
            }
            table.AppendLine(CultureInfo.InvariantCulture, $"| {Path.GetFileNameWithoutExtension(network)} | {floatAccuracy:P2} | {string.Join(" | ", cells)} |");
        }
        string folder = Path.Combine(SharedData.RepositoryRoot, "artifacts", "quantization");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "accuracy.md"), table.ToString());
        output.WriteLine(table.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
