using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes.Quantize;
using Neurite.Passes.Quantize.Calibration;
using Neurite.Passes.Quantize.Report;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests.Quantize;

/// <summary>
/// Per-layer precision (<see cref="QuantizationOptions.Layers"/>) on the zoo's calibrated models:
/// an overridden layer gets exactly its widths, every other layer the model-wide ones, a float
/// layer stays a float op, and graphs mixing int8 and int16 activations compute what they should
/// (checked by SQNR against the float model and by ONNX Runtime on the QDQ export).
/// </summary>
public sealed class LayerPrecisionTests(ITestOutputHelper output)
{
    private const string LeNet = "zoo/fmnist_lenet5.onnx";

    [Fact]
    public void OneLayerAtInt4WeightsTheOthersAtInt8()
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var result = PostTrainingQuantizer.Quantize(model, tables, new QuantizationOptions().WithLayer("/7/Gemm", new LayerPrecision(WeightBits: 4)));
        var weights = result.Model.Graph.Initializers.Where(i => i.Name.EndsWith("/weights_q", StringComparison.Ordinal)).ToDictionary(i => i.Name, i => i.Value);
        foreach (var layer in result.Layers.Where(l => l.WeightBits > 0))
        {
            var w = weights[$"{layer.Node}/weights_q"];
            int expected = layer.Node == "/7/Gemm" ? 4 : 8;
            Assert.Equal(expected, layer.WeightBits);
            Assert.Equal(expected, ((QuantizedType)w.ElementType).Bits);
            int largest = w.Span<sbyte>().ToArray().Max(v => Math.Abs((int)v));
            // Narrow symmetric ranges: [-7, 7] for int4, [-127, 127] for int8, and the grid is used.
            Assert.InRange(largest, expected == 4 ? 5 : 100, expected == 4 ? 7 : 127);
        }
    }

    [Fact]
    public void OnlyTheChosenLayerIsQuantisedWhenTheRestStaysFloat()
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var options = model.Graph.Nodes.Where(n => n.Name != "/3/Conv")
            .Aggregate(new QuantizationOptions(WeightBits: 4), (o, n) => o.WithLayer(n.Name, LayerPrecision.KeepFloat));
        var result = PostTrainingQuantizer.Quantize(model, tables, options);
        var ops = result.Model.Graph.Nodes.Select(n => n.QualifiedOpType).ToList();
        output.WriteLine(string.Join(", ", ops));
        Assert.Equal(["/3/Conv"], result.Layers.Select(l => l.Node));
        Assert.Single(ops, op => op == "neurite.QConv");
        // /0/Conv and the three Gemms stay float ops; one QuantizeLinear before /3/Conv, one DequantizeLinear after it.
        Assert.Equal(1, ops.Count(op => op == "Conv"));
        Assert.Equal(3, ops.Count(op => op == "Gemm"));
        Assert.Equal(1, ops.Count(op => op == "QuantizeLinear"));
        Assert.Equal(1, ops.Count(op => op == "DequantizeLinear"));
        Assert.Contains("/0/Conv", result.FloatNodes);
        Assert.Equal(4, result.Layers.Single().WeightBits);
    }

    [Fact]
    public void Int16ActivationsInAnInt8GraphRunInOnnxRuntimeWithinOneStep()
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var options = new QuantizationOptions().WithLayer("/3/Conv", new LayerPrecision(ActivationBits: 16));
        var result = PostTrainingQuantizer.Quantize(model, tables, options);
        var byNode = result.Layers.ToDictionary(l => l.Node);
        Assert.Equal(16, byNode["/3/Conv"].OutputScheme.Bits);
        Assert.Equal(0, byNode["/3/Conv"].OutputScheme.ZeroPoint);
        Assert.Equal(16, byNode["/5/AveragePool"].OutputScheme.Bits);   // a pool keeps its input's grid
        Assert.Equal(8, byNode["/7/Gemm"].OutputScheme.Bits);
        var declared = result.Model.Graph.ValueInfo.ToDictionary(v => v.Name, v => v.TensorType?.ElementType);
        Assert.Equal(16, ((QuantizedType)declared[byNode["/3/Conv"].QuantizedOutput]!).Bits);
        Assert.Equal(byNode["/3/Conv"].Output, result.FloatValues[byNode["/3/Conv"].QuantizedOutput]);

        var entry = ZooQuantization.Entry(LeNet);
        var images = Preprocessing.Batch(entry, DataSet.FashionMnist, 0, 500, [1, 1, 28, 28]);
        var ours = new Interpreter(result.Model).Run(images);
        using var reference = new OnnxRuntimeReference(OnnxExporter.ToBytes(QdqExport.Convert(result.Model)));
        var theirs = reference.Run(new Dictionary<string, Tensor> { ["input"] = images })["logits"];
        float step = byNode["/11/Gemm"].OutputScheme.Scale;
        double worst = TensorComparison.MaxAbsDifference(theirs, ours);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max |ORT - ours| = {worst:G4}, output step {step:G4}"));
        Assert.True(worst <= step * 1.0001, $"ONNX Runtime differs by {worst}, more than one output step ({step})");
    }

    /// <summary>
    /// A residual Add whose inputs are of different widths (ResNet-8's first Add, its identity
    /// branch from the stem at int16, the other at int8): QAdd widens an int16 input less than an
    /// int8 one, and the quantiser must fold the difference into the multipliers (were it not,
    /// the int16 branch would count 32 times too little). Every output of the integer Add must be
    /// the sum of its dequantised integer inputs, rounded onto its grid: within one step.
    /// </summary>
    [Fact]
    public void AResidualAddOfAnInt8AndAnInt16InputAddsItsInputs()
    {
        const string resnet = "zoo/fmnist_resnet8.onnx";
        var (model, tables) = ZooQuantization.Tables(resnet, CalibrationMethod.MinMax);
        var add = model.Graph.Nodes.First(n => n.OpType == "Add");
        var plain = PostTrainingQuantizer.Quantize(model, tables, new QuantizationOptions());
        var branches = add.Inputs.Select(i => plain.Layers.Single(l => l.Output == i)).ToList();
        var stem = branches.Single(b => model.Graph.Nodes.Single(n => n.Name == b.Node).Inputs[0] == model.Graph.Inputs[0].Name);
        var mixed = PostTrainingQuantizer.Quantize(model, tables, new QuantizationOptions().WithLayer(stem.Node, new LayerPrecision(ActivationBits: 16)));
        var layers = mixed.Layers.ToDictionary(l => l.Output);
        var (a, b, y) = (layers[add.Inputs[0]], layers[add.Inputs[1]], mixed.Layers.Single(l => l.Node == add.Name));
        Assert.Equal(new[] { 16, 8 }, new[] { a, b }.OrderBy(l => l.Node != stem.Node).Select(l => l.OutputScheme.Bits));

        var images = Preprocessing.Batch(ZooQuantization.Entry(resnet), DataSet.FashionMnist, 0, 100, [1, 1, 28, 28]);
        var values = new Capture([a.QuantizedOutput, b.QuantizedOutput, y.QuantizedOutput]);
        new Interpreter(mixed.Model).Run(new Dictionary<string, IValue> { ["input"] = images }, values);
        var sumA = LayerErrorMeter.Dequantize(values[a.QuantizedOutput], a.OutputScheme);
        var sumB = LayerErrorMeter.Dequantize(values[b.QuantizedOutput], b.OutputScheme);
        var result = LayerErrorMeter.Dequantize(values[y.QuantizedOutput], y.OutputScheme);
        var grid = y.OutputScheme;
        float step = grid.Scale, top = step * (grid.Max - grid.ZeroPoint), bottom = y.FusedActivation == "Relu" ? 0 : step * (grid.Min - grid.ZeroPoint);
        double worst = 0;
        for (int i = 0; i < result.Length; i++)
        {
            double expected = Math.Clamp(sumA[i] + sumB[i], bottom, top);
            worst = Math.Max(worst, Math.Abs(result[i] - expected));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{add.Name}: '{a.Node}' int{a.OutputScheme.Bits} + '{b.Node}' int{b.OutputScheme.Bits}: max |y - (a + b)| = {worst:G4}, output step {step:G4}"));
        Assert.True(worst <= step, $"the integer Add is {worst} away from the sum of its inputs, more than one output step ({step})");
    }

    private sealed class Capture(IReadOnlyCollection<string> names) : IValueObserver
    {
        private readonly Dictionary<string, Tensor> values = [];

        public Tensor this[string name] => values[name];

        public void Observe(string name, IValue value)
        {
            if (names.Contains(name))
            {
                values[name] = (Tensor)value;
            }
        }
    }

    [Fact]
    public void APrecisionForANodeTheGraphDoesNotHaveIsAnError()
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var e = Assert.Throws<NeuriteException>(() => PostTrainingQuantizer.Quantize(model, tables, new QuantizationOptions().WithLayer("/99/Conv", LayerPrecision.KeepFloat)));
        Assert.Equal("per-layer precision for '/99/Conv', which the graph has no node of", e.Diagnostics.Single().Message);
    }

    [Fact]
    public void APerLayerWidthIsValidated()
    {
        var (model, tables) = ZooQuantization.Tables(LeNet, CalibrationMethod.Percentile);
        var e = Assert.Throws<ArgumentException>(() => PostTrainingQuantizer.Quantize(model, tables, new QuantizationOptions().WithLayer("/0/Conv", new LayerPrecision(WeightBits: 2))));
        Assert.Equal("layer '/0/Conv': weights are quantised to 8 or 4 bits, not 2", e.Message);
    }
}
