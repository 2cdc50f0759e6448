using System.Globalization;

namespace Neurite.Backends.Cpu;

/// <summary>
/// How the emitted C holds one panel value: the 16 consecutive columns of a matrix row that the
/// products (and the interpreter's Sgemm) treat as one unit. The products are written once per
/// instruction set, each under its own preprocessor guard, because each keeps a different number
/// of panel values in registers:
/// <list type="bullet">
/// <item>AVX-512: one 16-float vector (<c>neurite_v16</c>, a zmm register); 32 registers hold 24 sums;</item>
/// <item>AVX: two 8-float vectors (ymm registers);</item>
/// <item>any other target or C99 compiler, or NEURITE_NO_VECTORS: an array of floats and plain
/// loops (which the compiler vectorises itself), also how the columns of a panel cut short by the
/// end of a row are computed.</item>
/// </list>
/// Every form does the same arithmetic per column (a multiply-add per k, sums added in the same
/// order), so the instruction set changes the speed, not the result, wherever the multiply-adds fuse.
/// </summary>
public abstract class PanelIsa
{
    /// <summary>Columns per panel, the unit every product blocks its columns in.</summary>
    public const int Width = 16;

    /// <summary>The forms in the order of their guards, the first that applies being compiled.</summary>
    public static readonly IReadOnlyList<PanelIsa> All = [new Vector16(), new Vector8Pair(), new Scalar(Width)];

    /// <summary>The preprocessor condition under which this form is compiled (see <see cref="VectorPrelude"/>).</summary>
    public abstract string Guard { get; }

    /// <summary>
    /// Panels per register block: as many as the vector registers hold beside the operands. Six
    /// rows × 4 AVX-512 panels are 24 sums of 32 registers; 6 × 1 panel of two AVX vectors, 12 of
    /// 16 (the smaller row groups keep as many sums: two or four per element).
    /// </summary>
    public abstract int PanelsPerBlock { get; }

    /// <summary>Whether a panel value is held in vector registers (false for the plain loops).</summary>
    public virtual bool IsVector => true;

    /// <summary>Columns of a value: <see cref="Width"/> except for the scalar form of a panel cut short.</summary>
    public virtual int Columns => Width;

    /// <summary>Declares <paramref name="name"/> as a panel value of zeros.</summary>
    public abstract void Zero(CSource c, string name);

    /// <summary>Declares <paramref name="name"/> as the panel value at <paramref name="address"/>.</summary>
    public abstract void Load(CSource c, string name, string address);

    /// <summary><c>accumulator += scalar · operand</c>, fused where the CPU has FMA.</summary>
    public abstract void MultiplyAdd(CSource c, string accumulator, string scalar, string operand);

    /// <summary>Declares <paramref name="name"/> = <paramref name="left"/> + <paramref name="right"/>.</summary>
    public abstract void Sum(CSource c, string name, string left, string right);

    /// <summary>Writes <paramref name="value"/> to the floats at <paramref name="address"/>.</summary>
    public abstract void Store(CSource c, string address, string value);

    /// <summary>The floats at <paramref name="address"/> become themselves + <paramref name="value"/> (that order).</summary>
    public abstract void AddTo(CSource c, string address, string value);

    protected static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A panel cut to fewer columns, for the scalar tail of a row whose end is not a whole panel.</summary>
    public static PanelIsa ScalarOf(int columns) => new Scalar(columns);

    private sealed class Vector16 : PanelIsa
    {
        public override string Guard => "NEURITE_VECTOR_WIDTH == 16";

        public override int PanelsPerBlock => 4;

        public override void Zero(CSource c, string name) => c.Line($"neurite_v16 {name} = neurite_zero16;");

        public override void Load(CSource c, string name, string address)
        {
            c.Line($"neurite_v16 {name};");
            c.Line($"NEURITE_LOAD({name}, {address});");
        }

        public override void MultiplyAdd(CSource c, string accumulator, string scalar, string operand) =>
            c.Line($"{accumulator} += {scalar} * {operand};");

        public override void Sum(CSource c, string name, string left, string right) => c.Line($"neurite_v16 {name} = {left} + {right};");

        public override void Store(CSource c, string address, string value) => c.Line($"NEURITE_STORE({address}, {value});");

        public override void AddTo(CSource c, string address, string value) => c.Block("", () =>
        {
            c.Line("neurite_v16 total;");
            c.Line($"NEURITE_LOAD(total, {address});");
            c.Line($"total = total + {value};");
            c.Line($"NEURITE_STORE({address}, total);");
        });
    }

    /// <summary>A panel value as two 8-float vectors, <c>name_0</c> (columns 0–7) and <c>name_1</c> (8–15).</summary>
    private sealed class Vector8Pair : PanelIsa
    {
        public override string Guard => "NEURITE_VECTOR_WIDTH == 8";

        public override int PanelsPerBlock => 1;

        public override void Zero(CSource c, string name) => c.Line($"neurite_v8 {name}_0 = neurite_zero, {name}_1 = neurite_zero;");

        public override void Load(CSource c, string name, string address)
        {
            c.Line($"neurite_v8 {name}_0, {name}_1;");
            c.Line($"NEURITE_LOAD({name}_0, {address});");
            c.Line($"NEURITE_LOAD({name}_1, {address} + 8);");
        }

        public override void MultiplyAdd(CSource c, string accumulator, string scalar, string operand)
        {
            c.Line($"{accumulator}_0 += {scalar} * {operand}_0;");
            c.Line($"{accumulator}_1 += {scalar} * {operand}_1;");
        }

        public override void Sum(CSource c, string name, string left, string right) =>
            c.Line($"neurite_v8 {name}_0 = {left}_0 + {right}_0, {name}_1 = {left}_1 + {right}_1;");

        public override void Store(CSource c, string address, string value)
        {
            c.Line($"NEURITE_STORE({address}, {value}_0);");
            c.Line($"NEURITE_STORE({address} + 8, {value}_1);");
        }

        public override void AddTo(CSource c, string address, string value) => c.Block("", () =>
        {
            c.Line("neurite_v8 total_0, total_1;");
            c.Line($"NEURITE_LOAD(total_0, {address});");
            c.Line($"NEURITE_LOAD(total_1, {address} + 8);");
            c.Line($"total_0 = total_0 + {value}_0;");
            c.Line($"total_1 = total_1 + {value}_1;");
            c.Line($"NEURITE_STORE({address}, total_0);");
            c.Line($"NEURITE_STORE({address} + 8, total_1);");
        });
    }

    /// <summary>A panel value as an array of <see cref="Columns"/> floats; an operand is a pointer to the floats in place.</summary>
    private sealed class Scalar(int columns) : PanelIsa
    {
        public override string Guard => "1";

        public override int Columns => columns;

        public override bool IsVector => false;

        public override int PanelsPerBlock => 1;

        private void Each(CSource c, string statement) => c.For("j", columns, () => c.Line(statement));

        public override void Zero(CSource c, string name)
        {
            c.Line($"float {name}[{Text(columns)}];");
            Each(c, $"{name}[j] = 0.0f;");
        }

        public override void Load(CSource c, string name, string address) => c.Line($"const float* restrict {name} = {address};");

        public override void MultiplyAdd(CSource c, string accumulator, string scalar, string operand) =>
            Each(c, $"{accumulator}[j] = NEURITE_FMA({scalar}, {operand}[j], {accumulator}[j]);");

        public override void Sum(CSource c, string name, string left, string right)
        {
            c.Line($"float {name}[{Text(columns)}];");
            Each(c, $"{name}[j] = {left}[j] + {right}[j];");
        }

        public override void Store(CSource c, string address, string value) => Each(c, $"({address})[j] = {value}[j];");

        public override void AddTo(CSource c, string address, string value) => Each(c, $"({address})[j] = ({address})[j] + {value}[j];");
    }
}
