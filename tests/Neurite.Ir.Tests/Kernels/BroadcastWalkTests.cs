using Neurite.Ir.Kernels;
using Xunit;

namespace Neurite.Ir.Tests.Kernels;

/// <summary>
/// The row walk merges dimensions before walking; every broadcast of random shapes must still
/// read each input where plain index arithmetic says.
/// </summary>
public sealed class BroadcastWalkTests
{
    [Fact]
    public void BinaryOpsReadWhatIndexArithmeticSays()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 500; trial++)
        {
            var (shapeA, shapeB) = RandomBroadcastPair(random);
            var a = Numbered(shapeA, 0);
            var b = Numbered(shapeB, 1000);
            var sum = Elementwise.Binary<int, int, Sum<int>>(a, b);
            var shape = Broadcasting.Shape(shapeA, shapeB);
            Assert.Equal(shape, sum.Shape.ToArray());
            Assert.Equal(Reference(shape, [a, b], values => values[0] + values[1]), sum.ToArray<int>());
        }
    }

    [Fact]
    public void VisitorsSeeEveryOutputElementOnce()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            var (shapeA, shapeB) = RandomBroadcastPair(random);
            var shapeC = RandomShape(random, Broadcasting.Shape(shapeA, shapeB));
            var inputs = new[] { Numbered(shapeA, 0), Numbered(shapeB, 1000), Numbered(shapeC, 2000) };
            var shape = Broadcasting.Shape(shapeA, shapeB, shapeC);
            var recorder = new Recorder(inputs, new int[Tensor.ElementCountOf(shape)], new int[Tensor.ElementCountOf(shape)]);
            BroadcastWalk.Run(shape, [shapeA, shapeB, shapeC], ref recorder);
            Assert.All(recorder.Visits, count => Assert.Equal(1, count));
            Assert.Equal(Reference(shape, inputs, values => values[0] + values[1] + values[2]), recorder.Sums);
        }
    }

    private readonly struct Recorder(Tensor[] inputs, int[] sums, int[] visits) : IRowVisitor
    {
        public int[] Sums => sums;
        public int[] Visits => visits;

        public void Row(int outputOffset, int length, scoped ReadOnlySpan<int> inputOffsets, scoped ReadOnlySpan<int> innerStrides)
        {
            for (int j = 0; j < length; j++)
            {
                visits[outputOffset + j]++;
                for (int i = 0; i < inputs.Length; i++)
                {
                    sums[outputOffset + j] += inputs[i].Span<int>()[inputOffsets[i] + j * innerStrides[i]];
                }
            }
        }
    }

    private static (int[] A, int[] B) RandomBroadcastPair(Random random)
    {
        var full = Enumerable.Range(0, random.Next(0, 5)).Select(_ => random.Next(1, 4)).ToArray();
        return (RandomShape(random, full), RandomShape(random, full));
    }

    /// <summary>A shape that broadcasts to <paramref name="full"/>: a suffix of it with some dimensions set to 1.</summary>
    private static int[] RandomShape(Random random, int[] full) =>
        full[random.Next(0, full.Length + 1)..].Select(d => random.Next(3) == 0 ? 1 : d).ToArray();

    private static Tensor Numbered(int[] shape, int start) =>
        Tensor.Create(Enumerable.Range(start, Tensor.ElementCountOf(shape)).ToArray(), shape);

    /// <summary>The elementwise result by explicit multi-index arithmetic, one output element at a time.</summary>
    private static int[] Reference(int[] shape, Tensor[] inputs, Func<int[], int> combine)
    {
        var result = new int[Tensor.ElementCountOf(shape)];
        var index = new int[shape.Length];
        for (int flat = 0; flat < result.Length; flat++)
        {
            int rest = flat;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            var values = inputs.Select(t =>
            {
                int offset = 0;
                for (int d = 0; d < t.Rank; d++)
                {
                    int dim = t.Dim(d);
                    offset = offset * dim + (dim == 1 ? 0 : index[shape.Length - t.Rank + d]);
                }
                return t.Span<int>()[offset];
            }).ToArray();
            result[flat] = combine(values);
        }
        return result;
    }
}
