using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Neurite.Frontend.Onnx;
using Xunit;
using Tensor = Neurite.Ir.Tensor;

namespace Neurite.Ir.Tests.Ops.Quantization;

/// <summary>Runs a graph in Neurite's interpreter and in ONNX Runtime and asserts that every output agrees, shape and values.</summary>
internal static class OnnxRuntimeComparison
{
    public static void AssertSame(Graph graph, IReadOnlyDictionary<string, int> opsets, IReadOnlyDictionary<string, Tensor> feeds, double rtol = 1e-4, double atol = 1e-6)
    {
        var model = new Model(graph, opsets);
        var bytes = OnnxExporter.ToBytes(model);
        var ours = new Interpreter(OnnxImporter.Load(bytes)).Run(feeds.ToDictionary(f => f.Key, f => (IValue)f.Value));
        using var session = new InferenceSession(bytes);
        using var results = session.Run(feeds.Select(f => ToOrt(f.Key, f.Value)).ToList());
        foreach (var result in results)
        {
            var expected = ToDoubles(result);
            var actual = (Tensor)ours[result.Name];
            Assert.Equal(Dimensions(result), actual.Shape.ToArray());
            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs(expected[i] - actual.GetDouble(i));
                Assert.True(difference <= atol + rtol * Math.Abs(expected[i]),
                    $"output '{result.Name}'[{i}] = {actual.GetDouble(i)}, ONNX Runtime gives {expected[i]}");
            }
        }
    }

    private static NamedOnnxValue ToOrt(string name, Tensor t)
    {
        var dims = t.Shape.ToArray();
        return t.DataType switch
        {
            DataType.Float32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(t.ToArray<float>(), dims)),
            DataType.Int32 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(t.ToArray<int>(), dims)),
            DataType.Int64 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(t.ToArray<long>(), dims)),
            DataType.Bool => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(t.ToArray<bool>(), dims)),
            DataType.UInt8 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<byte>(t.ToArray<byte>(), dims)),
            DataType.Int8 => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<sbyte>(t.ToArray<sbyte>(), dims)),
            _ => throw new NotSupportedException($"{t.ElementType} feeds are not converted"),
        };
    }

    private static int[] Dimensions(DisposableNamedOnnxValue value) => value.Value switch
    {
        DenseTensor<float> f => f.Dimensions.ToArray(),
        DenseTensor<int> i => i.Dimensions.ToArray(),
        DenseTensor<long> l => l.Dimensions.ToArray(),
        DenseTensor<byte> u => u.Dimensions.ToArray(),
        DenseTensor<sbyte> s => s.Dimensions.ToArray(),
        var other => throw new NotSupportedException($"{other.GetType().Name} results are not converted"),
    };

    private static double[] ToDoubles(DisposableNamedOnnxValue value) => value.Value switch
    {
        DenseTensor<float> f => f.ToArray().Select(x => (double)x).ToArray(),
        DenseTensor<int> i => i.ToArray().Select(x => (double)x).ToArray(),
        DenseTensor<long> l => l.ToArray().Select(x => (double)x).ToArray(),
        DenseTensor<byte> u => u.ToArray().Select(x => (double)x).ToArray(),
        DenseTensor<sbyte> s => s.ToArray().Select(x => (double)x).ToArray(),
        var other => throw new NotSupportedException($"{other.GetType().Name} results are not converted"),
    };
}
