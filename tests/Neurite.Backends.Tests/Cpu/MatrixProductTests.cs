using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Neurite.Backends.Cpu;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>
/// The emitted products, convolutions and 2×2 pools compute every element exactly as the reference
/// interpreter does (same depth blocks, same split of rows into 6/4/2/1 with their partial sums,
/// same bias order, same pairing of pooled values), so on a CPU with FMA and AVX2 (which the
/// interpreter's own kernels then use) the emitted C reproduces the interpreter's outputs to the
/// last bit, in every vector form of the C: 16-wide AVX-512, 8-wide AVX and the plain loops.
/// Elsewhere the products round differently and the agreement tolerance of 1e-5 applies.
/// The interpreter runs the graph the target compiled (the optimised one), so folded batch norms
/// are the same numbers on both sides.
/// </summary>
public sealed class MatrixProductTests
{
    private static bool BitExactHardware => Fma.IsSupported && Avx2.IsSupported;

    /// <summary>The AVX-512 form where this CPU has it (the default flags), the AVX form and the plain loops.</summary>
    private const string Avx = "-O2 -mavx2 -mfma";
    private const string PlainLoops = "-O2 -mavx2 -mfma -DNEURITE_NO_VECTORS";

    public static TheoryData<string, int, string> Cases()
    {
        var cases = new TheoryData<string, int, string>
        {
            // Batch 1: one row, four partial sums; the MLP reads only the weight rows of nonzero pixels.
            { "zoo/fmnist_mlp.onnx", 1, CpuTarget.DefaultFlags },
            { "zoo/fmnist_lenet5.onnx", 1, CpuTarget.DefaultFlags },
            // Batch 3: a 2-row group (even/odd sums) and a lone row; 2×2 pools; wide stride-1 convolutions.
            { "zoo/fmnist_lenet5.onnx", 3, CpuTarget.DefaultFlags },
            // Batch 64: ten 6-row groups and a 4-row one over depth blocks of 256 (K = 784).
            { "zoo/fmnist_mlp.onnx", 64, CpuTarget.DefaultFlags },
            // Strided convolutions through im2col (a 1×1 stride-2 projection among them), residual adds,
            // a batch-1 layer with K = 1024 over ReLU outputs. (The zoo ResNet-8 is not here: its global
            // average pool sums as .NET's TensorPrimitives.Sum does, an order the C does not copy.)
            { "vnncomp2021/cifar10_resnet/resnet_2b.onnx", 1, CpuTarget.DefaultFlags },
        };
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            cases.Add("zoo/fmnist_mlp.onnx", 1, Avx);
            cases.Add("zoo/fmnist_lenet5.onnx", 3, Avx);
            cases.Add("zoo/fmnist_mlp.onnx", 1, PlainLoops);
            cases.Add("zoo/fmnist_lenet5.onnx", 3, PlainLoops);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EmittedCComputesTheInterpretersBits(string relativePath, int batch, string cflags)
    {
        var model = Compilation.Optimize(OnnxImporter.Load(SharedData.Path("models", relativePath))).Model;
        var inputs = ModelInputs.For(model, relativePath, batch);
        using var folder = new TemporaryFolder();
        var options = CpuCompilation.BatchOptions(model, batch).WithSetting("cflags", cflags);
        var artifact = CpuCompilation.Target.Emit(model, options, CpuCompilation.Provenance(SharedData.Path("models", relativePath)), new DirectoryInfo(folder.File("artifact")));
        if (relativePath.EndsWith("mlp.onnx", StringComparison.Ordinal) && batch == 1)
        {
            Assert.Contains("nonzero_total", File.ReadAllText(artifact.PathOf("model.c")), StringComparison.Ordinal);
        }
        using var simulator = CpuCompilation.Target.Load(artifact);
        var native = simulator.Run(inputs);
        var expected = new Interpreter(model).Run(inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        double allowed = BitExactHardware ? 0 : 1e-5;
        foreach (var (name, value) in expected)
        {
            double difference = TensorComparison.MaxAbsDifference((Tensor)value, native[name]);
            Assert.True(difference <= allowed, $"{relativePath} at batch {batch} with '{cflags}': output '{name}' differs from the interpreter by {difference} (allowed {allowed})");
        }
    }
}
