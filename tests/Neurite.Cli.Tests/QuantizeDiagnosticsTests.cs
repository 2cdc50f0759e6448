using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Cli.Tests;

/// <summary>
/// Every bad input to <c>neurite quantize</c> (and to <c>compile --quantize</c>) as a user makes
/// it: the exact diagnostic on stderr, exit code 2, no stack trace, and nothing written.
/// </summary>
public sealed class QuantizeDiagnosticsTests
{
    private static string LeNet => QuantizeCommandTests.LeNet;
    private static string Calibration => QuantizeCommandTests.CalibrationImages;

    /// <summary>Case name → (arguments with {in} for the fixtures folder and {out} for the output folder, the message stderr must hold).</summary>
    private static readonly Dictionary<string, (string[] Arguments, string Message)> Cases = new()
    {
        ["missing calibration file"] = (["quantize", LeNet, "--calib", "{in}/missing.npy", "-o", "{out}/m.onnx"],
            "error: --calib '{in}/missing.npy' does not exist [data.file]"),
        ["no calibration data"] = (["quantize", LeNet, "-o", "{out}/m.onnx"],
            "error: no calibration data: give --calib FILE|FOLDER (.npy, .pb, IDX) with samples like the ones the model will see [quantize.calib]"),
        ["calibration samples of the wrong shape"] = (["quantize", LeNet, "--calib", "{in}/wrong-shape.npy", "-o", "{out}/m.onnx"],
            "error: --calib 'wrong-shape.npy' holds f32[3, 30, 30] (2,700 values), which is neither one sample nor a stack of samples for the model's input 'input' ([1, 28, 28] per sample, 784 values) [data.shape]"),
        ["raw pixels without a scale"] = (["quantize", LeNet, "--calib", Calibration, "-o", "{out}/m.onnx"],
            "error: --calib 'fmnist-calib6k-images-idx3-ubyte.gz' holds raw u8 pixels: say how they become the model's input with --scale (e.g. --scale 1/255) and, if the model was trained on normalised inputs, --mean and --std; or record them in the model's metadata (neurite.pixel_scale, neurite.mean, neurite.std) [data.preprocessing]"),
        ["a scale for float samples"] = (["quantize", LeNet, "--calib", "{in}/float-images.npy", "--scale", "1/255", "-o", "{out}/m.onnx"],
            "error: --scale, --mean and --std apply to raw integer pixels; --calib 'float-images.npy' holds f32 values, which are fed to the model as they are [data.preprocessing]"),
        ["unknown calibration method"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--method", "kmeans", "-o", "{out}/m.onnx"],
            "error: --method 'kmeans': calibration methods are minmax, percentile, entropy and mse [quantize.method]"),
        ["unknown weight format"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--weights", "int3", "-o", "{out}/m.onnx"],
            "error: --weights 'int3': weights are quantised to int8, int4 or fixed point, fixed<W,I> or fixed<W,auto> (e.g. 'fixed<16,6>') [quantize.format]"),
        ["int4 activations"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "int4", "-o", "{out}/m.onnx"],
            "error: --activations 'int4': activations are quantised to int8, int16 or fixed point, fixed<W,I> or fixed<W,auto> (e.g. 'fixed<16,6>') [quantize.format]"),
        ["per-channel and per-tensor"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--per-channel", "--per-tensor", "-o", "{out}/m.onnx"],
            "error: --per-channel and --per-tensor contradict each other: give one [quantize.scheme]"),
        ["a percentile for another method"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--method", "entropy", "--percentile", "99.9", "-o", "{out}/m.onnx"],
            "error: --percentile is for --method percentile, not entropy [quantize.percentile]"),
        ["a percentile out of range"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--percentile", "120", "-o", "{out}/m.onnx"],
            "error: --percentile 120: the percentile must be above 50 and at most 100 [quantize.percentile]"),
        ["no calibration samples"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--calib-count", "0", "-o", "{out}/m.onnx"],
            "error: --calib-count 0: the number of calibration samples must be positive [quantize.count]"),
        ["a mean without a std"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--mean", "0.5", "-o", "{out}/m.onnx"],
            "error: --mean without --std: normalisation takes both (mean 0 and std 1 leave values as they are) [quantize.preprocessing]"),
        ["labels that do not count the samples"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--eval", QuantizeCommandTests.TestImages, "--labels", "{in}/999-labels.npy", "-o", "{out}/m.onnx"],
            "error: 999 labels for 10,000 evaluation samples (t10k-images-idx3-ubyte.gz); give one label per sample [labels.count]"),
        ["labels without evaluation samples"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--labels", QuantizeCommandTests.TestLabels, "-o", "{out}/m.onnx"],
            "error: --labels needs --eval DATA, the samples they label (calibration data is never scored: a model must not be judged on the samples it was calibrated on) [quantize.labels]"),
        ["scoring on the calibration samples"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--eval", Calibration, "--labels", QuantizeCommandTests.TestLabels, "-o", "{out}/m.onnx"],
            $"error: --eval '{Calibration}' is also calibration data: a model must not be scored on the samples it was calibrated on [quantize.eval]"),
        ["no evaluation samples"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--eval", QuantizeCommandTests.TestImages, "--labels", QuantizeCommandTests.TestLabels, "--eval-count", "0", "-o", "{out}/m.onnx"],
            "error: --eval-count 0: the number of evaluation samples must be positive [quantize.eval]"),
        ["a budget without labels"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--accuracy-budget", "0.5", "-o", "{out}/m.onnx"],
            "error: --accuracy-budget needs labelled evaluation data: give --labels with the --eval samples they label [quantize.budget]"),
        ["a budget with no higher precision"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "int16", "--eval", QuantizeCommandTests.TestImages, "--labels", QuantizeCommandTests.TestLabels, "--accuracy-budget", "0.5", "-o", "{out}/m.onnx"],
            "error: --accuracy-budget keeps sensitive layers at int8 weights (when the target is int4) or int16 activations (when it is int8); with int8 weights and int16 activations there is no higher precision to keep them at [quantize.budget]"),
        ["an output folder that does not exist"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "-o", "{out}/nowhere/m.onnx"],
            "error: -o '{out}/nowhere/m.onnx': the folder '{out}/nowhere' does not exist [quantize.output]"),
        ["an output that is neither .onnx nor .nrt"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "-o", "{out}/m.txt"],
            "error: -o 'm.txt': quantize writes ONNX (.onnx) or the quantised graph in the Neurite language (.nrt), not '.txt' [quantize.output]"),
        ["a report that is not .json"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "-o", "{out}/m.onnx", "--report", "{out}/r.txt"],
            "error: --report 'r.txt': the report is written as JSON; name it *.json [quantize.output]"),
        ["a malformed fixed-point precision"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16>", "-o", "{out}/m.onnx"],
            "error: --activations 'fixed<16>' is not a fixed-point precision: expected fixed<W,I>, ufixed<W,I> or fixed<W,auto>, optionally with a rounding mode (trn, rnd, rnd_conv, trn_zero) and an overflow mode (wrap, sat, sat_sym), e.g. fixed<16,6,rnd,sat> [fixed.precision]"),
        ["an unknown rounding mode"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--weights", "fixed<16,auto,fast>", "-o", "{out}/m.onnx"],
            "error: --weights 'fixed<16,auto,fast>': expected a rounding mode (trn, rnd, rnd_conv, trn_zero) or overflow mode (wrap, sat, sat_sym), found 'fast' [fixed.precision]"),
        ["an impossible fixed-point width"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<80,6>", "-o", "{out}/m.onnx"],
            "error: --activations fixed<80,6,trn,wrap>: the width W must be 1 to 64 bits, not 80 [fixed.precision]"),
        ["impossible integer bits"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,90>", "-o", "{out}/m.onnx"],
            "error: --activations fixed<16,90,trn,wrap>: 90 integer bits leave -74 fraction bits; the integer bits must lie between W-62 and W+62 (-46 to 78) [fixed.precision]"),
        ["integer weights with fixed-point activations"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--weights", "int8", "-o", "{out}/m.onnx"],
            "error: --weights int8 with --activations fixed<16,6,trn,wrap>: integer and fixed-point schemes do not mix in one model; give the weights as fixed point too (e.g. --weights 'fixed<16,auto>'), or leave --weights out: fixed-point weights default to fixed<16,auto,trn,wrap> [quantize.scheme]"),
        ["fixed-point weights with integer activations"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--weights", "fixed<8,auto>", "-o", "{out}/m.onnx"],
            "error: --weights fixed<8,auto,trn,wrap> needs fixed-point activations too (e.g. --activations 'fixed<16,6>'), not int8: integer and fixed-point schemes do not mix in one model [quantize.scheme]"),
        ["per-tensor weights in fixed point"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--per-tensor", "-o", "{out}/m.onnx"],
            "error: --per-tensor chooses how integer weights are scaled; fixed-point weights have no scale, each weight tensor's integer bits come from its own largest magnitude: leave it out with fixed-point --activations [quantize.scheme]"),
        ["per-channel weights in fixed point"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--per-channel", "-o", "{out}/m.onnx"],
            "error: --per-channel chooses how integer weights are scaled; fixed-point weights have no scale, each weight tensor's integer bits come from its own largest magnitude: leave it out with fixed-point --activations [quantize.scheme]"),
        ["symmetric fixed point"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--symmetric", "-o", "{out}/m.onnx"],
            "error: --symmetric places the zero point of integer activations; fixed point has none (real 0 is raw 0): leave it out with fixed-point --activations [quantize.scheme]"),
        ["an accuracy budget in fixed point"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--eval", QuantizeCommandTests.TestImages, "--labels", QuantizeCommandTests.TestLabels, "--accuracy-budget", "0.5", "-o", "{out}/m.onnx"],
            "error: --accuracy-budget (mixed precision by sensitivity) is implemented for integer quantisation only; with fixed-point --activations choose the types with --weights and --accumulator [quantize.scheme]"),
        ["entropy calibration in fixed point"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,auto>", "--method", "entropy", "-o", "{out}/m.onnx"],
            "error: --method entropy weighs clipping against an integer grid; fixed point calibrates with minmax (the default: the overflow analysis sees every value) or percentile [quantize.method]"),
        ["an accumulator for integers"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--accumulator", "fixed<32,auto>", "-o", "{out}/m.onnx"],
            "error: --accumulator is the accumulator type of fixed-point layers; integer layers accumulate in int32: give fixed-point --activations (e.g. 'fixed<16,6>') or leave it out [quantize.scheme]"),
        ["an accumulator that is not fixed point"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,6>", "--accumulator", "int32", "-o", "{out}/m.onnx"],
            "error: --accumulator 'int32' is not a fixed-point precision: expected fixed<W,I>, ufixed<W,I> or fixed<W,auto>, optionally with a rounding mode (trn, rnd, rnd_conv, trn_zero) and an overflow mode (wrap, sat, sat_sym), e.g. fixed<16,6,rnd,sat> [fixed.precision]"),
        ["a range margin for integers"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--range-margin", "1.5", "-o", "{out}/m.onnx"],
            "error: --range-margin widens the ranges fixed-point auto precisions are chosen from: give fixed-point --activations (e.g. 'fixed<16,auto>') or leave it out [quantize.scheme]"),
        ["a range margin below 1"] = (["quantize", LeNet, "--calib", Calibration, "--scale", "1/255", "--activations", "fixed<16,auto>", "--range-margin", "0.5", "-o", "{out}/m.onnx"],
            "error: --range-margin 0.5: the margin is a factor of at least 1 [quantize.margin]"),
        ["compile mixing integer and fixed point"] = (["compile", LeNet, "-o", "{out}/c", "--quantize", "--calib", Calibration, "--scale", "1/255", "--weights", "int4", "--activations", "ufixed<8,3>"],
            "error: --weights int4 with --activations ufixed<8,3,trn,wrap>: integer and fixed-point schemes do not mix in one model; give the weights as fixed point too (e.g. --weights 'fixed<16,auto>'), or leave --weights out: fixed-point weights default to fixed<8,auto,trn,wrap> [quantize.scheme]"),
        ["compile with calibration but without --quantize"] = (["compile", LeNet, "-o", "{out}/c", "--calib", Calibration],
            "error: --calib is a quantisation option: add --quantize [compile.quantize]"),
        ["compile --quantize without calibration data"] = (["compile", LeNet, "-o", "{out}/c", "--quantize"],
            "error: no calibration data: give --calib FILE|FOLDER (.npy, .pb, IDX) with samples like the ones the model will see [quantize.calib]"),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void IsDiagnosedWithExitCode2AndNothingWritten(string name)
    {
        using var fixtures = new TemporaryFolder();
        using var outputs = new TemporaryFolder();
        Npy.Write(Tensor.Create(new float[3 * 30 * 30], 3, 30, 30), fixtures.File("wrong-shape.npy"));
        Npy.Write(Tensor.Create(new float[2 * 28 * 28], 2, 28, 28), fixtures.File("float-images.npy"));
        Npy.Write(Tensor.Create(new long[999], 999), fixtures.File("999-labels.npy"));
        var (arguments, message) = Cases[name];
        string Fill(string text) => text.Replace("{in}", fixtures.Path, StringComparison.Ordinal).Replace("{out}", outputs.Path, StringComparison.Ordinal);

        var result = NeuriteProcess.Run([.. arguments.Select(Fill)]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(Fill(message), result.Stderr.Trim());
        Assert.False(result.ShowsStackTrace);
        Assert.Empty(Directory.GetFileSystemEntries(outputs.Path));
    }
}
