using System.Globalization;
using System.Text;

namespace Neurite.Ir;

/// <summary>
/// The text form of element and value types, shared by the IR printer and the DSL:
/// <code>
///   f32[N, 1, 28, 28]              plain tensor; a name is a symbolic dimension, ? is unknown
///   f32[`batch size`, 3]           a symbol that is not a word between backticks
///   f32[*]                         unknown rank
///   qi8&lt;scale=0.05, zp=-3&gt;[64]      per-tensor quantised, signed 8 bit (qu4 = unsigned 4 bit, ...)
///   qi8&lt;axis=0, scale=[0.1, 0.2], zp=[0, 0]&gt;[2, 16]   per-axis
///   fixed&lt;16,6&gt;   ufixed&lt;8,3,rnd_conv,sat&gt;               fixed point with rounding / overflow modes
///   seq&lt;f32[?]&gt;   opt&lt;i64[]&gt;
/// </code>
/// Floats are written in their shortest round-trip form, so parsing what was printed gives back the same type.
/// </summary>
public static class TypeSyntax
{
    private static readonly (DataType Type, string Name)[] ScalarNames =
    [
        (DataType.Float32, "f32"), (DataType.Float64, "f64"), (DataType.Float16, "f16"), (DataType.BFloat16, "bf16"),
        (DataType.Int8, "i8"), (DataType.Int16, "i16"), (DataType.Int32, "i32"), (DataType.Int64, "i64"),
        (DataType.UInt8, "u8"), (DataType.UInt16, "u16"), (DataType.UInt32, "u32"), (DataType.UInt64, "u64"),
        (DataType.Bool, "bool"), (DataType.String, "str"),
        (DataType.Float8E4M3FN, "f8e4m3fn"), (DataType.Float8E4M3FNUZ, "f8e4m3fnuz"), (DataType.Float8E5M2, "f8e5m2"),
        (DataType.Float8E5M2FNUZ, "f8e5m2fnuz"), (DataType.Float8E8M0, "f8e8m0"), (DataType.Float4E2M1, "f4e2m1"),
        (DataType.Int4, "i4"), (DataType.UInt4, "u4"), (DataType.Int2, "i2"), (DataType.UInt2, "u2"),
    ];

    private static readonly (RoundingMode Mode, string Name)[] RoundingNames =
        [(RoundingMode.Truncate, "trn"), (RoundingMode.HalfUp, "rnd"), (RoundingMode.HalfEven, "rnd_conv"), (RoundingMode.TowardZero, "trn_zero")];

    private static readonly (OverflowMode Mode, string Name)[] OverflowNames =
        [(OverflowMode.Wrap, "wrap"), (OverflowMode.Saturate, "sat"), (OverflowMode.SaturateSymmetric, "sat_sym")];

    public static string Name(DataType type) => ScalarNames.First(p => p.Type == type).Name;

    /// <summary>A rounding mode as the type syntax writes it (trn, rnd, rnd_conv, trn_zero): reports spell out even the default.</summary>
    public static string Name(RoundingMode mode) => RoundingNames.First(p => p.Mode == mode).Name;

    /// <summary>An overflow mode as the type syntax writes it (wrap, sat, sat_sym).</summary>
    public static string Name(OverflowMode mode) => OverflowNames.First(p => p.Mode == mode).Name;

    /// <summary>What a fixed-point mode word may be, for diagnostics.</summary>
    public const string ModeExpectation = "a rounding mode (trn, rnd, rnd_conv, trn_zero) or overflow mode (wrap, sat, sat_sym)";

    /// <summary>
    /// Reads one mode word of a fixed-point type (<c>rnd</c>, <c>sat</c>, ...) into whichever of the
    /// two modes it names; false when it names neither. Shared with the precisions users write
    /// (<c>fixed&lt;16,auto,rnd,sat&gt;</c>), so both read the same words.
    /// </summary>
    public static bool TryReadMode(string word, ref RoundingMode rounding, ref OverflowMode overflow)
    {
        foreach (var (mode, name) in RoundingNames)
        {
            if (name == word)
            {
                rounding = mode;
                return true;
            }
        }
        foreach (var (mode, name) in OverflowNames)
        {
            if (name == word)
            {
                overflow = mode;
                return true;
            }
        }
        return false;
    }

    public static bool TryParseScalarName(string name, out DataType type)
    {
        foreach (var (t, n) in ScalarNames)
        {
            if (n == name)
            {
                type = t;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static string Format(ElementType type) => type switch
    {
        ScalarType s => Name(s.Kind),
        QuantizedType q => FormatQuantized(q),
        FixedPointType f => FormatFixed(f),
        _ => throw new ArgumentException($"unknown element type {type.GetType().Name}"),
    };

    public static string Format(IrType type) => type switch
    {
        TensorType t => Format(t.ElementType) + t.Shape,
        SequenceType s => $"seq<{Format(s.ElementType)}>",
        OptionalType o => $"opt<{Format(o.ElementType)}>",
        _ => throw new ArgumentException($"unknown value type {type.GetType().Name}"),
    };

    private static string FormatQuantized(QuantizedType q)
    {
        var text = new StringBuilder();
        text.Append(q.Signed ? "qi" : "qu").Append(q.Bits).Append('<');
        if (q.Axis is int axis)
        {
            text.Append("axis=").Append(axis).Append(", scale=[")
                .Append(string.Join(", ", q.Scales.Select(FormatFloat))).Append("], zp=[")
                .Append(string.Join(", ", q.ZeroPoints)).Append(']');
        }
        else
        {
            text.Append("scale=").Append(FormatFloat(q.Scales[0])).Append(", zp=").Append(q.ZeroPoints[0]);
        }
        return text.Append('>').ToString();
    }

    private static string FormatFixed(FixedPointType f)
    {
        var text = new StringBuilder(f.Signed ? "fixed<" : "ufixed<");
        text.Append(f.Width).Append(',').Append(f.IntegerBits);
        if (f.Rounding != RoundingMode.Truncate || f.Overflow != OverflowMode.Wrap)
        {
            text.Append(',').Append(RoundingNames.First(p => p.Mode == f.Rounding).Name);
            text.Append(',').Append(OverflowNames.First(p => p.Mode == f.Overflow).Name);
        }
        return text.Append('>').ToString();
    }

    public static string FormatFloat(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A symbolic dimension as written: a word (N, batch_size) as it is, any other name (ONNX
    /// allows "batch size", "input.1_dim_0") between backticks, so the text reads back.
    /// </summary>
    public static string FormatSymbol(string symbol)
    {
        bool word = symbol.Length > 0 && (char.IsLetter(symbol[0]) || symbol[0] == '_') && symbol.All(c => char.IsLetterOrDigit(c) || c == '_');
        return word ? symbol : "`" + symbol.Replace("\\", "\\\\").Replace("`", "\\`") + "`";
    }

    public static ElementType ParseElementType(string text)
    {
        var reader = new Reader(text);
        var type = reader.ElementType();
        reader.ExpectEnd();
        return type;
    }

    public static IrType ParseType(string text)
    {
        var reader = new Reader(text);
        var type = reader.IrType();
        reader.ExpectEnd();
        return type;
    }

    /// <summary>A small recursive-descent reader; errors name the column where the text stops making sense.</summary>
    private sealed class Reader(string text)
    {
        private int pos;

        public IrType IrType()
        {
            SkipSpace();
            if (TryWord("seq"))
            {
                Expect('<');
                var inner = IrType();
                Expect('>');
                return new SequenceType(inner);
            }
            if (TryWord("opt"))
            {
                Expect('<');
                var inner = IrType();
                Expect('>');
                return new OptionalType(inner);
            }
            var element = ElementType();
            return new TensorType(element, Shape());
        }

        public ElementType ElementType()
        {
            SkipSpace();
            int start = pos;
            string word = Word();
            if (word is "fixed" or "ufixed")
            {
                return Fixed(word == "fixed");
            }
            if ((word.StartsWith("qi", StringComparison.Ordinal) || word.StartsWith("qu", StringComparison.Ordinal))
                && int.TryParse(word.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
            {
                return Quantized(bits, word[1] == 'i');
            }
            if (TryParseScalarName(word, out var scalar))
            {
                return Ir.ElementType.Of(scalar);
            }
            throw Error(start, $"expected an element type (f32, i8, qi8<...>, fixed<W,I>, ...), found '{word}'");
        }

        private QuantizedType Quantized(int bits, bool signed)
        {
            Expect('<');
            int? axis = null;
            List<float> scales = [];
            List<long> zeroPoints = [];
            while (true)
            {
                SkipSpace();
                int keyAt = pos;
                string key = Word();
                Expect('=');
                switch (key)
                {
                    case "axis":
                        axis = (int)Integer();
                        break;
                    case "scale":
                        scales = List(FloatNumber);
                        break;
                    case "zp":
                        zeroPoints = List(Integer);
                        break;
                    default:
                        throw Error(keyAt, $"expected axis, scale or zp in a quantised type, found '{key}'");
                }
                SkipSpace();
                if (TryChar(','))
                {
                    continue;
                }
                Expect('>');
                break;
            }
            try
            {
                return new QuantizedType(bits, signed, scales, zeroPoints, axis);
            }
            catch (ArgumentException e)
            {
                throw Error(pos, e.Message);
            }
        }

        private FixedPointType Fixed(bool signed)
        {
            Expect('<');
            int width = (int)Integer();
            Expect(',');
            int integerBits = (int)Integer();
            var rounding = RoundingMode.Truncate;
            var overflow = OverflowMode.Wrap;
            while (TryChar(','))
            {
                SkipSpace();
                int at = pos;
                string mode = Word();
                if (!TryReadMode(mode, ref rounding, ref overflow))
                {
                    throw Error(at, $"expected {ModeExpectation}, found '{mode}'");
                }
            }
            Expect('>');
            try
            {
                return new FixedPointType(width, integerBits, signed, rounding, overflow);
            }
            catch (ArgumentException e)
            {
                throw Error(pos, e.Message);
            }
        }

        private Shape Shape()
        {
            Expect('[');
            SkipSpace();
            if (TryChar('*'))
            {
                Expect(']');
                return Ir.Shape.UnknownRank;
            }
            var dims = new List<Dim>();
            if (TryChar(']'))
            {
                return Ir.Shape.Scalar;
            }
            do
            {
                SkipSpace();
                if (TryChar('?'))
                {
                    dims.Add(Dim.Unknown);
                }
                else if (pos < text.Length && char.IsDigit(text[pos]))
                {
                    dims.Add(Dim.Known(Integer()));
                }
                else if (pos < text.Length && text[pos] == '`')
                {
                    dims.Add(Dim.Symbolic(QuotedSymbol()));
                }
                else
                {
                    int at = pos;
                    string symbol = Word();
                    if (symbol.Length == 0)
                    {
                        throw Error(at, "expected a dimension: a size, a symbol or ?");
                    }
                    dims.Add(Dim.Symbolic(symbol));
                }
                SkipSpace();
            }
            while (TryChar(','));
            Expect(']');
            return new Shape(dims);
        }

        private string QuotedSymbol()
        {
            int start = pos++;
            var symbol = new StringBuilder();
            while (pos < text.Length && text[pos] != '`')
            {
                if (text[pos] == '\\' && pos + 1 < text.Length)
                {
                    pos++;
                }
                symbol.Append(text[pos++]);
            }
            if (pos >= text.Length)
            {
                throw Error(start, "a quoted dimension is not closed: expected '`'");
            }
            pos++;
            if (symbol.Length == 0)
            {
                throw Error(start, "expected a dimension: a size, a symbol or ?");
            }
            return symbol.ToString();
        }

        private List<T> List<T>(Func<T> item)
        {
            SkipSpace();
            if (!TryChar('['))
            {
                return [item()];
            }
            var items = new List<T>();
            do
            {
                items.Add(item());
                SkipSpace();
            }
            while (TryChar(','));
            Expect(']');
            return items;
        }

        private long Integer()
        {
            SkipSpace();
            int start = pos;
            if (pos < text.Length && text[pos] == '-')
            {
                pos++;
            }
            while (pos < text.Length && char.IsDigit(text[pos]))
            {
                pos++;
            }
            if (!long.TryParse(text.AsSpan(start, pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                throw Error(start, "expected an integer");
            }
            return value;
        }

        private float FloatNumber()
        {
            SkipSpace();
            int start = pos;
            while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '.' or '-' or '+'))
            {
                pos++;
            }
            if (!float.TryParse(text.AsSpan(start, pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            {
                throw Error(start, "expected a number");
            }
            return value;
        }

        private string Word()
        {
            SkipSpace();
            int start = pos;
            while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_'))
            {
                pos++;
            }
            return text[start..pos];
        }

        private bool TryWord(string word)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0
                && (pos + word.Length == text.Length || !char.IsLetterOrDigit(text[pos + word.Length])))
            {
                pos += word.Length;
                return true;
            }
            return false;
        }

        private bool TryChar(char c)
        {
            SkipSpace();
            if (pos < text.Length && text[pos] == c)
            {
                pos++;
                return true;
            }
            return false;
        }

        private void Expect(char c)
        {
            if (!TryChar(c))
            {
                throw Error(pos, $"expected '{c}', found {(pos < text.Length ? $"'{text[pos]}'" : "the end")}");
            }
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (pos != text.Length)
            {
                throw Error(pos, $"unexpected '{text[pos..]}' after the type");
            }
        }

        private void SkipSpace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }
        }

        private FormatException Error(int at, string message) =>
            new($"in type '{text}' at column {at + 1}: {message}");
    }
}
