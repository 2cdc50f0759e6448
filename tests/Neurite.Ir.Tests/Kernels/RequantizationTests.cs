using Neurite.Ir.Kernels.Quantization;
using Xunit;

namespace Neurite.Ir.Tests.Kernels;

/// <summary>
/// Requantisation forms acc · multiplier in float32, as ONNX Runtime does; its vector blocks and
/// its scalar tail must give the same value for every input, or one tensor would mix two roundings.
/// </summary>
public sealed class RequantizationTests
{
    private static readonly (int Min, int Max) UInt8 = (byte.MinValue, byte.MaxValue);
    private static readonly (int Min, int Max) Int8 = (sbyte.MinValue, sbyte.MaxValue);

    /// <summary>
    /// The float just above 5/6 times 3 is 2.50000012 (float64 rounds it to 3) but 2.5 in float32,
    /// which rounds half to even to 2.
    /// </summary>
    [Fact]
    public void NearTieRoundsAsTheFloat32Product()
    {
        float multiplier = BitConverter.Int32BitsToSingle(0x3F555556);
        Assert.Equal(0.8333333730697632, multiplier);
        Assert.Equal(3, Math.Round(3 * (double)multiplier, MidpointRounding.ToEven));

        var shared = Enumerable.Repeat(3, 19).ToArray();
        Requantization.Requantize(shared, multiplier, 100, UInt8);
        Assert.All(shared, value => Assert.Equal(102, value));

        var perColumn = Enumerable.Repeat(3, 19).ToArray();
        Requantization.Requantize(perColumn, Enumerable.Repeat(multiplier, 19).ToArray(), 100, UInt8);
        Assert.All(perColumn, value => Assert.Equal(102, value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VectorBlocksAgreeWithTheScalarTail(bool signed)
    {
        var range = signed ? Int8 : UInt8;
        var random = new Random(signed ? 5 : 7);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, BitConverter.Int32BitsToSingle(0x3F555556), 1e-30f, 3e9f];
        var multipliers = Enumerable.Range(0, 45)
            .Select(i => i < special.Length ? special[i] : (float)(random.NextDouble() * 0.02 - 0.005)).ToArray();
        var accumulators = Enumerable.Range(0, multipliers.Length)
            .Select(i => i % 9 == 0 ? 0 : random.Next(-40000, 40000)).ToArray();

        // Each element alone takes the scalar path; the whole span runs in vector blocks of eight.
        var oneByOne = accumulators.Select((acc, i) =>
        {
            var single = new[] { acc };
            Requantization.Requantize(single, multipliers.AsSpan(i, 1), 7, range);
            return single[0];
        }).ToArray();
        var together = (int[])accumulators.Clone();
        Requantization.Requantize(together, multipliers, 7, range);
        Assert.Equal(oneByOne, together);

        foreach (float multiplier in special)
        {
            var shared = (int[])accumulators.Clone();
            Requantization.Requantize(shared, multiplier, 7, range);
            var expected = accumulators.Select(acc =>
            {
                var single = new[] { acc };
                Requantization.Requantize(single, multiplier, 7, range);
                return single[0];
            });
            Assert.Equal(expected, shared);
            Assert.All(shared, value => Assert.InRange(value, range.Min, range.Max));
        }
    }
}
