namespace Neurite.Ir;

/// <summary>
/// One dimension of a shape: a known size, a named symbol (a dynamic batch <c>N</c> that stays
/// symbolic until an input binds it) or unknown.
/// </summary>
public readonly struct Dim : IEquatable<Dim>
{
    private readonly long value;

    private Dim(long value, string? symbol)
    {
        this.value = value;
        Symbol = symbol;
    }

    public static Dim Known(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new Dim(size, null);
    }

    public static Dim Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new Dim(-1, name);
    }

    public static readonly Dim Unknown = new(-1, null);

    public static implicit operator Dim(long size) => Known(size);

    public bool IsKnown => value >= 0;
    public bool IsSymbolic => Symbol is not null;
    public bool IsUnknown => value < 0 && Symbol is null;

    /// <summary>The size; only valid when <see cref="IsKnown"/>.</summary>
    public long Value => IsKnown ? value : throw new InvalidOperationException($"dimension {this} has no known size");

    public string? Symbol { get; }

    public bool Equals(Dim other) => value == other.value && Symbol == other.Symbol;
    public override bool Equals(object? obj) => obj is Dim other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(value, Symbol);
    public static bool operator ==(Dim a, Dim b) => a.Equals(b);
    public static bool operator !=(Dim a, Dim b) => !a.Equals(b);

    public override string ToString() =>
        IsKnown ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : Symbol is null ? "?" : TypeSyntax.FormatSymbol(Symbol);
}
