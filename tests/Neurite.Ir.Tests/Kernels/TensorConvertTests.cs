using Neurite.Ir.Kernels;
using Xunit;

namespace Neurite.Ir.Tests.Kernels;

/// <summary>
/// Conversions to narrow types round once, from the exact value: going through float32 first
/// would round twice, and a value just above a tie would land on the even side below it.
/// </summary>
public sealed class TensorConvertTests
{
    // 1 + 2^-8 is halfway between the bfloat16 neighbours 1 and 1 + 2^-7; float32 drops the 2^-30.
    private const double AboveBFloat16Tie = 1 + 1.0 / (1 << 8) + 1.0 / (1 << 30);

    // 1 + 2^-4 is halfway between the float8e4m3fn neighbours 1 and 1.125.
    private const double AboveFloat8Tie = 1 + 1.0 / (1 << 4) + 1.0 / (1 << 30);

    [Fact]
    public void Float64ToBFloat16RoundsOnce()
    {
        var result = TensorConvert.Convert(Tensor.Scalar(AboveBFloat16Tie), DataType.BFloat16);
        Assert.Equal(1 + 1f / (1 << 7), (float)result.Scalar<BFloat16>());
    }

    [Fact]
    public void Int32ToBFloat16RoundsOnce()
    {
        // 2^24 + 2^16 + 1: float32 rounds it to the tie 2^24 + 2^16, which bfloat16 rounds down to 2^24.
        var result = TensorConvert.Convert(Tensor.Scalar((1 << 24) + (1 << 16) + 1), DataType.BFloat16);
        Assert.Equal((float)((1 << 24) + (1 << 17)), (float)result.Scalar<BFloat16>());
    }

    [Fact]
    public void Float64ToFloat8RoundsOnce()
    {
        var result = TensorConvert.Convert(Tensor.Scalar(AboveFloat8Tie), DataType.Float8E4M3FN);
        Assert.Equal(1.125f, NarrowFloat.ToFloat(DataType.Float8E4M3FN, result.Scalar<byte>()));
    }

    [Fact]
    public void IntegerToInt4KeepsTheLowBitsOfTheExactValue()
    {
        // 2^24 + 1 is not a float32; its low four bits are 0001.
        var fromInt32 = TensorConvert.Convert(Tensor.Scalar((1 << 24) + 1), DataType.Int4);
        Assert.Equal((sbyte)1, fromInt32.Scalar<sbyte>());
        var fromFloat64 = TensorConvert.Convert(Tensor.Scalar((double)((1 << 24) + 15)), DataType.UInt4);
        Assert.Equal((byte)15, fromFloat64.Scalar<byte>());
    }

    [Theory]
    [InlineData(DataType.BFloat16)]
    [InlineData(DataType.Float8E4M3FN)]
    [InlineData(DataType.Float8E5M2)]
    [InlineData(DataType.Float4E2M1)]
    [InlineData(DataType.Int4)]
    [InlineData(DataType.Float16)]
    public void AgreesWithTheCastOp(DataType target)
    {
        var random = new Random((int)target);
        var values = Enumerable.Range(0, 200).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-12, 26))).ToArray();
        var input = Tensor.Create(values, values.Length);
        var converted = TensorConvert.Convert(input, target);
        var cast = CastKernel.Run(input, ElementType.Of(target), saturate: true, PowerOfTwoRounding.Up);
        Assert.Equal(cast.Bytes.ToArray(), converted.Bytes.ToArray());
    }
}
