using System.Globalization;
using System.Runtime.InteropServices;
using Neurite.Backends.Cpu;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>
/// Every real model the CPU target accepts: the emitted C, compiled natively, agrees with the
/// reference interpreter within 1e-5 absolute on the inputs the model suites use (data-set
/// images for the data-set models), and the emitted files compile with -Wall -Wextra -Werror
/// -pedantic as C99. The models it refuses are listed with the reason, and the test checks that
/// the refusal names exactly that, so the list cannot go stale.
/// </summary>
public sealed class CpuAgreementTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    /// <summary>Models the CPU target does not emit: "import" when Neurite cannot import them, else a diagnostic code Check must report.</summary>
    public static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>
    {
        // QONNX quantisers (Quant, BipolarQuant, MultiThreshold) import and run in the
        // interpreter, but the C emitter has no kernels for them yet (nor for Resize and TopK).
        ["finn/tfc_w1a1_mnist/model.onnx"] = "cpu.unsupported",
        ["hls4ml/bnn_model_fc_1layer.onnx"] = "cpu.unsupported",
        ["hls4ml/branched_model_ch_last.onnx"] = "cpu.unsupported",
        ["hls4ml/separable_conv_model_ch_last.onnx"] = "cpu.unsupported",
        ["hls4ml/tiny_unet_ch_last.onnx"] = "cpu.unsupported",
        // Breaks the ONNX specification; ONNX Runtime refuses it too.
        ["hls4ml/three_layer_bn_keras.onnx"] = "import",
        // Quantised by other tools: the target emits PostTrainingQuantizer's integer graphs, not
        // QLinearConv/QLinearMatMul (ShuffleNet) nor the Casts between QDQ pairs (the fpgai model).
        ["onnx-model-zoo/shufflenet-v2-12-int8/model.onnx"] = "cpu.unsupported",
        ["quantized/mnist_ptq_qdq_fpgai.onnx"] = "cpu.unsupported",
    };

    public static TheoryData<string> AcceptedModels() => [.. ModelCatalog.AllModelFiles().Where(p => !Refused.ContainsKey(p.Replace('\\', '/')))];

    public static TheoryData<string> RefusedModels() => [.. Refused.Keys];

    [Theory]
    [MemberData(nameof(AcceptedModels))]
    public void NativeOutputsMatchTheInterpreter(string relativePath) => AssertNativeMatchesInterpreter(relativePath, optimize: true);

    /// <summary>Graphs the optimiser has not touched: the target's own fusion of BatchNormalization, affines and activations.</summary>
    [Theory]
    [InlineData("zoo/fmnist_lenet5.onnx")]
    [InlineData("zoo/fmnist_cnn_bn_maxpool.onnx")]
    [InlineData("zoo/fmnist_resnet8.onnx")]
    public void UnoptimisedGraphsMatchTheInterpreterToo(string relativePath) => AssertNativeMatchesInterpreter(relativePath, optimize: false);

    private void AssertNativeMatchesInterpreter(string relativePath, bool optimize)
    {
        var model = OnnxImporter.Load(SharedData.Path("models", relativePath));
        var inputs = ModelInputs.For(model, relativePath);
        int batch = inputs.Values.First().Dim(0);
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(relativePath, folder.File("artifact"), batch, optimize: optimize);
        using var simulator = CpuCompilation.Target.Load(artifact);
        var native = simulator.Run(inputs);
        var expected = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        foreach (var (name, value) in expected)
        {
            var reference = (Tensor)value;
            double difference = TensorComparison.MaxAbsDifference(reference, native[name]);
            double scale = Enumerable.Range(0, reference.Length).Max(i => Math.Abs(reference.GetDouble(i)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{relativePath} '{name}' {reference.TensorType}: max |diff| {difference:G3} (max |value| {scale:G4}); arena {artifact.Manifest.Metric("arena_bytes")} B of {artifact.Manifest.Metric("intermediate_tensor_bytes")} B"));
            Assert.True(difference <= Tolerance, $"output '{name}' differs from the interpreter by {difference} (> {Tolerance})");
        }
    }

    [Theory]
    [MemberData(nameof(AcceptedModels))]
    public void EmittedCCompilesWithoutWarnings(string relativePath)
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(relativePath, folder.File("artifact"));
        foreach (var file in new[] { "model.c", "main.c" })
        {
            var (exit, messages) = NativeBuild.Run("cc", ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-O2", "-c", file, "-o", folder.File(file + ".o")], artifact.Folder.FullName);
            Assert.True(exit == 0, $"{file} of {relativePath} does not compile cleanly:\n{messages}");
        }
    }

    /// <summary>
    /// The products are written once per vector form (16-wide AVX-512, 8-wide AVX, plain loops) and
    /// the plain compile above sees only the last: these models, which between them emit every kind
    /// of product (one row reading only nonzero inputs, depth blocks, wide stride-1 and im2col
    /// convolutions, 1×1 convolutions with a partial last panel), compile cleanly in the vector forms too.
    /// </summary>
    public static TheoryData<string, string> VectorForms()
    {
        var data = new TheoryData<string, string>();
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return data;
        }
        foreach (var model in new[]
        {
            "zoo/fmnist_lenet5.onnx", "zoo/fmnist_mlp.onnx", "zoo/fmnist_resnet8.onnx", "vnncomp2021/mnistfc/mnist-net_256x2.onnx",
            "stateful-cnn/squeezenet_cifar10.onnx", "onnx-model-zoo/mnist-12/model.onnx",
        })
        {
            data.Add(model, "-mavx512f -mfma");
            data.Add(model, "-mavx2 -mfma");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorForms))]
    public void VectorFormsCompileWithoutWarnings(string relativePath, string flags)
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Compile(relativePath, folder.File("artifact"));
        var (exit, messages) = NativeBuild.Run("cc", ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-O2", .. NativeBuild.SplitFlags(flags), "-c", "model.c", "-o", folder.File("model.o")], artifact.Folder.FullName);
        Assert.True(exit == 0, $"model.c of {relativePath} does not compile cleanly with {flags}:\n{messages}");
    }

    [Theory]
    [MemberData(nameof(RefusedModels))]
    public void RefusedModelsAreRefusedForTheListedReason(string relativePath)
    {
        string reason = Refused[relativePath];
        var import = OnnxImporter.Import(SharedData.Path("models", relativePath));
        if (reason == "import")
        {
            Assert.True(import.Diagnostics.Any(d => d.Severity == Severity.Error), $"{relativePath} now imports: compile it for the CPU target and drop it from the list");
            return;
        }
        var model = import.ModelOrThrow();
        var problems = CpuCompilation.Target.Check(model, CpuCompilation.BatchOptions(model, 1));
        Assert.Contains(problems, p => p.Code == reason);
        Assert.All(problems, p => Assert.True(p.Location?.Node is not null, $"diagnostic without a node: {p}"));
    }
}
