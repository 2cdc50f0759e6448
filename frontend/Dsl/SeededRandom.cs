namespace Neurite.Frontend.Dsl;

/// <summary>
/// The generator behind <c>random(seed=...)</c> and <c>normal(seed=...)</c>: SplitMix64, written
/// out here (not System.Random) so a seed gives the same weights on every platform and .NET
/// version, as docs/dsl.md promises.
/// </summary>
internal sealed class SeededRandom(long seed)
{
    private ulong state = unchecked((ulong)seed);

    public ulong NextBits()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box-Muller, one draw of two uniforms per value.</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
