using System.Globalization;

namespace Neurite.Backends.Cpu;

/// <summary>
/// Where the right operand B[K, N] of a <see cref="MatrixProduct"/> keeps its rows. The product
/// reads B in 16-column panels (<see cref="PanelIsa.Width"/>): <see cref="Row"/> is the address of
/// the panel of row k that starts at column n0, and the next panel of the same row is
/// <see cref="PanelStride"/> floats further.
/// </summary>
public abstract record ProductOperand
{
    /// <summary>The C address of B[k][n0], for C expressions <paramref name="k"/> and <paramref name="n0"/> (a multiple of 16).</summary>
    public abstract string Row(string k, string n0);

    /// <summary>Floats from one panel of a row to the next panel of the same row.</summary>
    public abstract int PanelStride { get; }

    /// <summary>
    /// Whether a panel may be read whole past column N (the columns beyond are computed and
    /// dropped); when not, the columns after the last whole panel are computed one by one.
    /// </summary>
    public abstract bool WholePanels { get; }

    protected static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Row-major B: B[k][n] at <c>pointer[k·ld + n]</c>.</summary>
    public sealed record RowMajor(string Pointer, int Ld, bool Padded) : ProductOperand
    {
        public override string Row(string k, string n0) => $"{Pointer} + ({k}) * {Text(Ld)} + {n0}";

        public override int PanelStride => PanelIsa.Width;

        public override bool WholePanels => Padded;
    }

    /// <summary>
    /// B packed at compile time in panels (<see cref="Pack"/>): panel p holds columns 16p … 16p+15
    /// of every row, row after row, so a product streams each panel front to back.
    /// </summary>
    public sealed record Packed(string Pointer, int K) : ProductOperand
    {
        public override string Row(string k, string n0) => $"{Pointer} + {n0} * {Text(K)} + ({k}) * {Text(PanelIsa.Width)}";

        public override int PanelStride => K * PanelIsa.Width;

        public override bool WholePanels => true;

        /// <summary>Row-major B[K, N] as zero-padded panels: element (k, n) at (n / 16)·16K + 16k + n % 16.</summary>
        public static float[] Pack(float[] b, int k, int n)
        {
            int panels = (n + PanelIsa.Width - 1) / PanelIsa.Width;
            var packed = new float[panels * PanelIsa.Width * k];
            for (int kk = 0; kk < k; kk++)
            {
                for (int nn = 0; nn < n; nn++)
                {
                    packed[(nn / PanelIsa.Width * k + kk) * PanelIsa.Width + nn % PanelIsa.Width] = b[kk * n + nn];
                }
            }
            return packed;
        }
    }

    /// <summary>
    /// Row k of B is the run of <paramref name="Pointer"/> starting at <c>offsets[k]</c> (a static
    /// table): a stride-1 convolution's padded input shifted by each tap, read in place. The
    /// source must stay readable a whole panel past the last offset plus N.
    /// </summary>
    public sealed record Shifted(string Pointer, string Offsets) : ProductOperand
    {
        public override string Row(string k, string n0) => $"{Pointer} + {Offsets}[{k}] + {n0}";

        public override int PanelStride => PanelIsa.Width;

        public override bool WholePanels => true;
    }
}
