using CsCheck;
using Xunit;

namespace Neurite.Ir.Tests.Types;

/// <summary>Every type the IR can hold prints to text and parses back to an equal type.</summary>
public sealed class TypeSyntaxTests
{
    private static readonly Gen<ElementType> Scalars = Gen.Enum<DataType>().Select(t => (ElementType)ElementType.Of(t));

    private static readonly Gen<ElementType> Quantized =
        Gen.Select(Gen.Int[1, 32], Gen.Bool, Gen.Int[1, 4], Gen.Bool).SelectMany((bits, signed, channels, perAxis) =>
            Gen.Select(Gen.Float[1e-6f, 10f].Array[perAxis ? channels : 1], Gen.Int[0, 3]).Select((scales, axis) =>
            {
                var q = new QuantizedType(bits, signed, scales, scales.Select(_ => 0L), perAxis ? axis : null);
                var zeroPoints = scales.Select((_, i) => Math.Clamp(i - 1L, q.MinValue, q.MaxValue));
                return (ElementType)new QuantizedType(bits, signed, scales, zeroPoints, perAxis ? axis : null);
            }));

    private static readonly Gen<ElementType> Fixed =
        Gen.Select(Gen.Int[1, 64], Gen.Int[-8, 70], Gen.Bool, Gen.Enum<RoundingMode>(), Gen.Enum<OverflowMode>())
            .Select((w, i, s, r, o) => (ElementType)new FixedPointType(w, i, s, r, o));

    private static readonly Gen<ElementType> Elements = Gen.Frequency((4, Scalars), (3, Quantized), (3, Fixed));

    private static readonly Gen<Dim> Dims = Gen.Frequency(
        (5, Gen.Long[0, 4096].Select(Dim.Known)),
        (2, Gen.Int[0, 3].Select(i => Dim.Symbolic(new[] { "N", "batch", "seq_len", "H_1" }[i]))),
        (1, Gen.Const(Dim.Unknown)));

    private static readonly Gen<Shape> Shapes = Gen.Frequency(
        (8, Dims.Array[0, 5].Select(d => new Shape(d))),
        (1, Gen.Const(Shape.UnknownRank)));

    private static readonly Gen<IrType> Tensors = Gen.Select(Elements, Shapes).Select((e, s) => (IrType)new TensorType(e, s));

    private static readonly Gen<IrType> Values = Gen.Frequency(
        (6, Tensors),
        (1, Tensors.Select(t => (IrType)new SequenceType(t))),
        (1, Tensors.Select(t => (IrType)new OptionalType(t))));

    [Fact]
    public void EveryValueTypeRoundTrips() =>
        Values.Sample(type => TypeSyntax.ParseType(TypeSyntax.Format(type)).Equals(type), iter: 2000);

    [Theory]
    [InlineData("f32[N, 1, 28, 28]")]
    [InlineData("qi8<scale=0.05, zp=-3>[64]")]
    [InlineData("qu4<axis=0, scale=[0.1, 0.2], zp=[0, 15]>[2, 16]")]
    [InlineData("fixed<16,6>[8]")]
    [InlineData("ufixed<8,3,rnd_conv,sat>[]")]
    [InlineData("seq<f32[?]>")]
    [InlineData("opt<i64[*]>")]
    [InlineData("f32[`batch size`, `input.1_dim_0`, `1x`, `a\\`b`, N]")]
    public void DocumentedExamplesPrintAsWritten(string text) =>
        Assert.Equal(text, TypeSyntax.Format(TypeSyntax.ParseType(text)));

    [Theory]
    [InlineData("f33[1]", "column 1", "expected an element type")]
    [InlineData("f32[1,", "column 7", "expected a dimension")]
    [InlineData("qi8<scale=0.1>[1]", "column", "as many zero points as scales")]
    [InlineData("qi8<scale=0.1, zp=300>[1]", "column", "does not fit a signed 8-bit integer")]
    [InlineData("fixed<16,6,sideways>[1]", "column 12", "expected a rounding mode")]
    public void MalformedTypesSayWhereAndWhy(string text, string where, string what)
    {
        var error = Assert.Throws<FormatException>(() => TypeSyntax.ParseType(text));
        Assert.Contains(where, error.Message);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void FixedPointKnowsItsRange()
    {
        var q = new FixedPointType(8, 3);
        Assert.Equal(0.03125, q.Resolution);
        Assert.Equal(-128, q.MinRaw);
        Assert.Equal(127, q.MaxRaw);
        Assert.Equal(DataType.Int8, q.Storage);
        Assert.Equal(DataType.UInt16, new FixedPointType(12, 4, signed: false).Storage);
    }
}
