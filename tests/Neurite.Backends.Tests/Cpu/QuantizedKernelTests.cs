using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>
/// The integer kernels on inputs no trained model is guaranteed to produce: exact ties, saturation,
/// NaN and infinities through QuantizeLinear; the extreme shifts of the fixed-point multiplier; an
/// int16 product whose int32 accumulator wraps, as the interpreter's C# arithmetic wraps. The
/// emitted C must give the interpreter's bits. And a quantised node the CPU target cannot emit is
/// refused by name before anything is written.
/// </summary>
public sealed class QuantizedKernelTests
{
    /// <summary>x → QuantizeLinear (zero point of the given type, or none: uint8) → DequantizeLinear → y.</summary>
    [Theory]
    [InlineData(DataType.Int8)]
    [InlineData(DataType.Int16)]
    [InlineData(DataType.UInt8)]
    public void QuantizeAndDequantizeGiveTheInterpretersBits(DataType zeroPointType)
    {
        const float scale = 0.1f;
        var values = new List<float>();
        for (int k = -6; k <= 6; k++)
        {
            values.Add((k + 0.5f) * scale);                    // ties: round half to even
            values.Add(MathF.BitIncrement((k + 0.5f) * scale));
        }
        values.AddRange([float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1e-45f, 1e9f, -1e9f,
            12.75f, -12.85f, 12.85f, 3276.75f, -3276.85f, 25.45f, 25.55f, -25.6f]);
        var random = new Random(11);
        while (values.Count < 70)
        {
            values.Add((float)(random.NextDouble() * 40 - 20));
        }
        values.Add(float.NaN);                                  // in the scalar tail of the interpreter's vector loop
        var zero = zeroPointType switch
        {
            DataType.Int8 => Tensor.Scalar((sbyte)-3),
            DataType.Int16 => Tensor.Scalar((short)1234),
            _ => (Tensor?)null,
        };
        var x = Tensor.Create(values.ToArray(), 1, values.Count);
        var initializers = new List<Initializer> { new("s", Tensor.Scalar(scale)), new("s2", Tensor.Scalar(0.25f)) };
        if (zero is not null)
        {
            initializers.Add(new Initializer("z", zero));
        }
        string[] quantizeInputs = zero is null ? ["x", "s"] : ["x", "s", "z"];
        var graph = new Graph("quantize",
            [new ValueInfo("x", new TensorType(ElementType.Float32, Shape.Of(1, values.Count)))],
            [new ValueInfo("y", null)],
            [
                new Node("q", "QuantizeLinear", quantizeInputs, ["xq"]),
                new Node("dq", "DequantizeLinear", zero is null ? ["xq", "s2"] : ["xq", "s2", "z"], ["y"]),
            ],
            initializers);
        AssertBitIdentical(new Model(graph, new Dictionary<string, int> { [""] = 13 }), "x", x);
    }

    /// <summary>
    /// QGemm with every edge of the requantisation: shifts 30 and -31 (right shifts of 1 and 62),
    /// multipliers that saturate int32, a clamp narrower than the type, a zero mantissa; on int16
    /// inputs whose products over K = 1,024 overflow int32 (so the C sums in uint32), and on int8.
    /// </summary>
    [Theory]
    [InlineData(16, 1024)]
    [InlineData(8, 300)]
    public void QGemmRequantisesAtEveryShiftAndWrapsAsTheInterpreter(int inputBits, int depth)
    {
        const int rows = 4, outputs = 9;
        var random = new Random(5);
        var x = Tensor.Create(Enumerable.Range(0, rows * depth).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray(), rows, depth);
        var w = Enumerable.Range(0, outputs * depth).Select(i => (sbyte)(i % 7 == 0 ? -128 : i % 3 == 0 ? 127 : random.Next(-128, 128))).ToArray();
        // Extreme biases only where the sums wrap anyway; on int8 the bound keeps them in int32.
        var bias = inputBits == 16 ? new[] { int.MaxValue, int.MinValue, 0, 1 << 30, -(1 << 30), 12345, -1, 7, 0 } : new[] { 100000, -100000, 0, 5, -5, 12345, -1, 7, 0 };
        long[] mantissas = [1 << 30, 2147483647, 1518500250, 1073741825, 1600000000, 0, 1234567890, 2000000000, 1 << 30];
        long[] shifts = [30, -31, 0, -10, -20, 0, 5, -25, -30];
        var zero = inputBits == 16 ? Tensor.Scalar((short)0) : Tensor.Scalar((sbyte)-5);
        var outZero = Tensor.Scalar((sbyte)3);
        var graph = new Graph("qgemm",
            [new ValueInfo("x", new TensorType(ElementType.Float32, Shape.Of(rows, depth)))],
            [new ValueInfo("y", null)],
            [
                new Node("q", "QuantizeLinear", ["x", "s", "z"], ["xq"]),
                new Node("dense", "QGemm", ["xq", "w", "b"], ["yq"], new Dictionary<string, AttributeValue>
                {
                    ["x_zero_point"] = inputBits == 16 ? 0L : -5L,
                    ["y_zero_point"] = 3L,
                    ["multipliers"] = mantissas,
                    ["shifts"] = shifts,
                    ["output_min"] = -100L,
                    ["output_max"] = 120L,
                }, OpDomains.Neurite),
                new Node("dq", "DequantizeLinear", ["yq", "s2", "z2"], ["y"]),
            ],
            [
                new Initializer("s", Tensor.Scalar(inputBits == 16 ? 2e-5f : 0.01f)),
                new Initializer("z", zero),
                new Initializer("w", Tensor.Create(w, outputs, depth)),
                new Initializer("b", Tensor.Create(bias, outputs)),
                new Initializer("s2", Tensor.Scalar(0.5f)),
                new Initializer("z2", outZero),
            ]);
        var model = new Model(graph, new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
        var source = AssertBitIdentical(model, "x", x);
        Assert.Equal(inputBits == 16, source.Contains("uint32_t sum0", StringComparison.Ordinal));
    }

    /// <summary>A 3-D QConv runs in the interpreter, but the CPU target emits 1-D and 2-D windows: Check names it, Emit writes nothing.</summary>
    [Fact]
    public void AQuantisedNodeTheTargetCannotEmitIsRefusedByName()
    {
        var graph = new Graph("conv3d",
            [new ValueInfo("x", new TensorType(ElementType.Float32, Shape.Of(1, 2, 3, 3, 3)))],
            [new ValueInfo("y", null)],
            [
                new Node("q", "QuantizeLinear", ["x", "s", "z"], ["xq"]),
                new Node("the 3-d conv", "QConv", ["xq", "w"], ["yq"], new Dictionary<string, AttributeValue>
                {
                    ["multipliers"] = new long[] { 1L << 30 },
                    ["shifts"] = new long[] { 0 },
                }, OpDomains.Neurite),
                new Node("dq", "DequantizeLinear", ["yq", "s", "z"], ["y"]),
            ],
            [
                new Initializer("s", Tensor.Scalar(0.1f)),
                new Initializer("z", Tensor.Scalar((sbyte)0)),
                new Initializer("w", Tensor.Create(new sbyte[] { 1, 2, 3, 4 }, 2, 2, 1, 1, 1)),
            ]);
        var model = new Model(graph, new Dictionary<string, int> { [""] = 13, [OpDomains.Neurite] = 1 });
        var x = Tensor.Create(Enumerable.Range(0, 54).Select(i => i * 0.05f).ToArray(), 1, 2, 3, 3, 3);
        Assert.Equal(54, ((Tensor)new Interpreter(model).Run(("x", (IValue)x))["y"]).Length);

        var problem = Assert.Single(CpuCompilation.Target.Check(model, TargetOptions.Default));
        Assert.Equal("cpu.unsupported", problem.Code);
        Assert.Equal("the 3-d conv", problem.Location?.Node);
        Assert.Equal("neurite.QConv", problem.Location?.OpType);
        Assert.Contains("3 spatial axes", problem.Message, StringComparison.Ordinal);
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<NeuriteException>(() => CpuCompilation.Target.Emit(model, TargetOptions.Default, new ArtifactProvenance("conv3d", "", []), new DirectoryInfo(folder.File("refused"))));
        Assert.Contains("the 3-d conv", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    /// <summary>Runs the model in the interpreter and as emitted C; every output element must match in its bits. Returns model.c.</summary>
    private static string AssertBitIdentical(Model model, string input, Tensor x)
    {
        using var folder = new TemporaryFolder();
        var artifact = CpuCompilation.Target.Emit(model, TargetOptions.Default, new ArtifactProvenance(model.Graph.Name, "", []), new DirectoryInfo(folder.File("artifact")));
        using var simulator = CpuCompilation.Target.Load(artifact);
        var native = simulator.Run(new Dictionary<string, Tensor> { [input] = x })["y"].Span<float>().ToArray();
        var expected = ((Tensor)new Interpreter(model).Run((input, (IValue)x))["y"]).Span<float>().ToArray();
        Assert.Equal(expected.Length, native.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(native[i]),
                $"element {i}: interpreter {expected[i]:R}, emitted C {native[i]:R}");
        }
        return File.ReadAllText(artifact.PathOf("model.c"));
    }
}
