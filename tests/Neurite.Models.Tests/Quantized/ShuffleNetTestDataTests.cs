using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Models.Tests.Quantized;

/// <summary>
/// ShuffleNet-v2 int8 against its shipped test_data_set_0, in units of the output's quantisation
/// step (the scale of the last DequantizeLinear). The model zoo generated its int8 reference
/// outputs with ONNX Runtime on AVX-512 machines without VNNI, whose uint8×int8 kernels saturate
/// pairs of products to int16. Neurite's interpreter accumulates exactly, as the ONNX
/// specification says (and as ONNX Runtime 1.31 does on this VNNI machine), and lands many steps
/// away; with the saturation modelled (<see cref="MlasU8S8Emulation"/>) it lands within one step
/// on every element (measured: bit-identical), which shows the test data differs from the
/// specification by exactly that.
/// </summary>
public sealed class ShuffleNetTestDataTests(ITestOutputHelper output)
{
    private static string Folder => SharedData.Path("models", "onnx-model-zoo", "shufflenet-v2-12-int8");

    [Fact]
    public void MatchesItsTestDataWithinOneStepWhenTheReferenceMachinesSaturationIsModelled()
    {
        var model = OnnxImporter.Load(Path.Combine(Folder, "model.onnx"));
        var input = OnnxValueFiles.ReadTensor(Path.Combine(Folder, "test_data_set_0", "input_0.pb"));
        var expected = OnnxValueFiles.ReadTensor(Path.Combine(Folder, "test_data_set_0", "output_0.pb"));
        double step = OutputStep(model);

        var exact = new Interpreter(model).Run(input);
        var rewritten = MlasU8S8Emulation.Rewrite(model);
        int modelled = rewritten.Graph.Nodes.Count(n => n.Domain == MlasU8S8Emulation.Domain);
        output.WriteLine($"{modelled} of {model.Graph.Nodes.Count(n => n.OpType is "QLinearConv" or "QLinearMatMul")} QLinearConv/QLinearMatMul nodes run the saturating kernels");
        Assert.True(modelled > 0, "no node was moved to the emulating ops");
        var emulated = new Interpreter(rewritten, MlasU8S8Emulation.Registry).Run(input);
        double exactSteps = TensorComparison.MaxAbsDifference(expected, exact) / step;
        double emulatedSteps = TensorComparison.MaxAbsDifference(expected, emulated) / step;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"output step {step:G6}; exact int32 accumulation: max {exactSteps:F2} steps; int16 pair saturation modelled: max {emulatedSteps:F2} steps"));

        // Measured: 0 steps, i.e. bit-identical (the issue asks for at most one step per element).
        Assert.True(emulatedSteps == 0, $"with the saturation modelled the output is {emulatedSteps:F2} steps from the test data");
        // The saturation is what separates the two: exact accumulation is further than one step, same top-1 class.
        Assert.True(exactSteps > 1, $"exact accumulation lands {exactSteps:F2} steps from the test data: the saturation no longer explains a difference");
        Assert.Equal(ArgMax(expected), ArgMax(exact));
    }

    private static double OutputStep(Model model)
    {
        var last = model.Graph.Nodes.Single(n => n.Outputs.Contains(model.Graph.Outputs[0].Name));
        Assert.Equal("DequantizeLinear", last.OpType);
        return model.Graph.Initializers.Single(i => i.Name == last.Inputs[1]).Value.GetDouble(0);
    }

    private static int ArgMax(Tensor scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            best = scores.GetDouble(i) > scores.GetDouble(best) ? i : best;
        }
        return best;
    }
}
