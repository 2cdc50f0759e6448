using Xunit;

namespace Neurite.Ir.Tests.Ops;

/// <summary>
/// The data-movement ops and their kernels (ElementBuffer, StridedCopy, AxisMapGather) move
/// elements of every storage kind: 1, 2, 4 and 8 bytes wide, bools, strings, the narrow floats
/// and the sub-byte integers that are stored one per byte. Each case runs the op twice: once on
/// int32 tensors holding the positions of their elements, which says where every output element
/// comes from, and once on tensors of the type under test, whose output must hold exactly the
/// elements those positions name.
/// </summary>
public sealed class TensorElementTypeTests
{
    public static TheoryData<DataType> EveryStorageKind => new(Enum.GetValues<DataType>());

    /// <summary>The inputs and attributes of one node, built around the tensors whose elements it moves.</summary>
    private sealed record Case(IReadOnlyList<Tensor?> Inputs, Dictionary<string, AttributeValue>? Attributes = null);

    private static Tensor Ints(params long[] values) => Tensor.Create(values, values.Length);

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void TransposeInCacheTiles(DataType type) =>
        AssertMoves(type, "Transpose", [[3, 20, 17]], m => new([m[0]], new() { ["perm"] = new long[] { 2, 0, 1 } }));

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void SliceBackwardsWithSteps(DataType type) =>
        AssertMoves(type, "Slice", [[3, 20, 7]], m => new([m[0], Ints(-1, 1), Ints(long.MinValue, 20), Ints(2, 1), Ints(-2, 3)]));

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void ExpandRepeatsRowsAndElements(DataType type)
    {
        AssertMoves(type, "Expand", [[3, 1, 17]], m => new([m[0], Ints(2, 3, 4, 17)]));
        AssertMoves(type, "Expand", [[3, 17, 1]], m => new([m[0], Ints(3, 17, 5)]));
    }

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void TileConcatAndSplit(DataType type)
    {
        AssertMoves(type, "Tile", [[3, 4, 5]], m => new([m[0], Ints(2, 1, 3)]));
        AssertMoves(type, "Concat", [[2, 3, 4], [2, 1, 4]], m => new([m[0], m[1]], new() { ["axis"] = 1 }));
        AssertMoves(type, "Split", [[2, 5, 3]], m => new([m[0], Ints(2, 3)], new() { ["axis"] = 1 }), outputs: 2);
    }

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void PadInEveryMode(DataType type)
    {
        long[] pads = [1, 0, 2, 0, 3, 1];
        foreach (var mode in new[] { "edge", "reflect", "wrap" })
        {
            AssertMoves(type, "Pad", [[3, 4, 5]], m => new([m[0], Ints(pads)], new() { ["mode"] = mode }), opset: 19);
        }
        AssertMoves(type, "Pad", [[3, 4, 5], [1]], m => new([m[0], Ints(pads), m[1].Reshape([])]), opset: 19);
    }

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void GathersPickElementsAndSlices(DataType type)
    {
        AssertMoves(type, "Gather", [[3, 4, 5]], m => new([m[0], Tensor.Create([3L, -1, 0, 3], 2, 2)], new() { ["axis"] = 1 }));
        AssertMoves(type, "Gather", [[3, 4]], m => new([m[0], Ints(2, 0)], new() { ["axis"] = 1 }));
        AssertMoves(type, "GatherElements", [[3, 4]], m => new([m[0], Tensor.Create([2L, 0, 1, 1, 0, 2], 2, 3)]));
        AssertMoves(type, "GatherND", [[2, 3, 4]], m => new([m[0], Tensor.Create([2L, 0, 1, 1], 2, 2, 1)], new() { ["batch_dims"] = 1 }));
        AssertMoves(type, "Compress", [[3, 4]], m => new([m[0], Tensor.Create([true, false, true, true], 4)], new() { ["axis"] = 1 }));
    }

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void ScattersReplaceElementsAndSlices(DataType type)
    {
        AssertMoves(type, "ScatterND", [[3, 4], [2, 4]], m => new([m[0], Tensor.Create([2L, 0], 2, 1), m[1]]));
        AssertMoves(type, "ScatterElements", [[3, 4], [2, 2]], m => new([m[0], Tensor.Create([2L, 0, 1, 2], 2, 2), m[1]], new() { ["axis"] = 0 }));
    }

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void RearrangementsKeepEveryElement(DataType type)
    {
        AssertMoves(type, "ReverseSequence", [[4, 2, 3]], m => new([m[0], Ints(3, 1)]));
        AssertMoves(type, "DepthToSpace", [[1, 8, 2, 3]], m => new([m[0]], new() { ["blocksize"] = 2, ["mode"] = "CRD" }));
        AssertMoves(type, "SpaceToDepth", [[1, 2, 4, 6]], m => new([m[0]], new() { ["blocksize"] = 2 }));
        AssertMoves(type, "Resize", [[1, 2, 3]], m => new([m[0], null, null, Ints(1, 5, 4)], new() { ["mode"] = "nearest" }));
    }

    [Theory]
    [MemberData(nameof(EveryStorageKind))]
    public void FillsRepeatOneElement(DataType type)
    {
        AssertMoves(type, "ConstantOfShape", [[1]], m => new([Ints(2, 3)], new() { ["value"] = m[0] }));
        AssertMoves(type, "OneHot", [[2]], m => new([Ints(1, -1, 4), Ints(3), m[0]]));
    }

    /// <summary>
    /// Runs <paramref name="op"/> on int32 position tensors, then on <paramref name="type"/>
    /// tensors of the same shapes, and checks every output element is the one its position names.
    /// </summary>
    private static void AssertMoves(DataType type, string op, int[][] movedShapes, Func<IReadOnlyList<Tensor>, Case> build, int opset = 18, int outputs = 1)
    {
        var positions = new List<Tensor>();
        var moved = new List<Tensor>();
        int first = 0;
        foreach (var shape in movedShapes)
        {
            int count = Tensor.ElementCountOf(shape);
            positions.Add(Tensor.Create(Enumerable.Range(first, count).ToArray(), shape));
            moved.Add(Sample(type, shape, first));
            first += count;
        }
        var elements = moved.SelectMany(Elements).ToArray();
        var wheres = Run(op, build(positions), opset, outputs);
        var results = Run(op, build(moved), opset, outputs);
        for (int i = 0; i < outputs; i++)
        {
            Assert.Equal(moved[0].ElementType, results[i].ElementType);
            Assert.Equal(wheres[i].Shape.ToArray(), results[i].Shape.ToArray());
            Assert.Equal(wheres[i].ToArray<int>().Select(p => elements[p]), Elements(results[i]));
        }
    }

    private static Tensor[] Run(string op, Case node, int opset, int outputs)
    {
        var b = new GraphBuilder(op);
        var names = node.Inputs.Select((t, i) => t is null ? "" : b.Initializer($"in{i}", t)).ToList();
        var results = b.NodeWithOutputs(op, names, outputs, node.Attributes);
        foreach (var r in results)
        {
            b.Output(r);
        }
        var model = new Model(b.Build(), new Dictionary<string, int> { [""] = opset });
        Assert.DoesNotContain(GraphVerifier.Verify(model), d => d.Severity == Severity.Error);
        var values = new Interpreter(model).Run();
        return results.Select(r => (Tensor)values[r]).ToArray();
    }

    /// <summary>
    /// A tensor whose element i (counted on from <paramref name="first"/>) is a valid value of its
    /// type that varies with i: as many distinct values as the type has, wrapping around after.
    /// </summary>
    private static Tensor Sample(DataType type, int[] shape, int first)
    {
        int count = Tensor.ElementCountOf(shape);
        if (type == DataType.String)
        {
            return Tensor.CreateStrings(Enumerable.Range(first, count).Select(i => $"s{i}").ToArray(), shape);
        }
        int size = type.ByteSize();
        var bytes = new byte[count * size];
        for (int i = 0; i < count; i++)
        {
            long value = first + i + 1;
            value = type switch
            {
                DataType.Bool => value % 2,
                DataType.Float4E2M1 => value % 16,
                _ when type.IsInteger() && type.BitWidth() < 8 => type.IntegerRange().Min + value % (long)(type.IntegerRange().Max + 1 - (ulong)type.IntegerRange().Min),
                // Spread the value over every byte of the element, so a wrong width shows.
                _ => value * 0x0101010101010101L,
            };
            BitConverter.GetBytes(value).AsSpan(0, size).CopyTo(bytes.AsSpan(i * size, size));
        }
        return Tensor.FromOwnedBytes(ElementType.Of(type), bytes, shape);
    }

    /// <summary>The elements as comparable text: the strings, or each element's bytes in hex.</summary>
    private static string[] Elements(Tensor tensor)
    {
        if (tensor.DataType == DataType.String)
        {
            return tensor.Strings.ToArray();
        }
        int size = tensor.DataType.ByteSize();
        var elements = new string[tensor.Length];
        for (int i = 0; i < elements.Length; i++)
        {
            elements[i] = Convert.ToHexString(tensor.Bytes.Slice(i * size, size));
        }
        return elements;
    }
}
