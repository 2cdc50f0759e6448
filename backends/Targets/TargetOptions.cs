using System.Collections.Immutable;
using System.Globalization;
using Neurite.Ir;

namespace Neurite.Backends;

/// <summary>
/// What a compilation was asked for: sizes for the model's symbolic dimensions (bound at compile
/// time, default 1) and target-specific settings by name (for the CPU target "cc" and "cflags").
/// Both are sorted so the manifest that records them is the same for the same request.
/// </summary>
public sealed record TargetOptions
{
    public static readonly TargetOptions Default = new();

    public ImmutableSortedDictionary<string, int> Dimensions { get; init; } = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, string> Settings { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public TargetOptions WithDimension(string name, int size) => this with { Dimensions = Dimensions.SetItem(name, size) };

    public TargetOptions WithSetting(string name, string value) => this with { Settings = Settings.SetItem(name, value) };

    public string? Setting(string name) => Settings.TryGetValue(name, out var value) ? value : null;

    /// <summary>The size bound to a symbolic dimension: the option when given, else 1 (a single sample).</summary>
    public int SizeOf(string symbol) => Dimensions.TryGetValue(symbol, out int size) ? size : 1;

    /// <summary>Parses <c>NAME=SIZE</c> pairs as the CLI's <c>--dim</c> takes them.</summary>
    public static ImmutableSortedDictionary<string, int> ParseDimensions(IEnumerable<string> pairs)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || !int.TryParse(pair.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size <= 0)
            {
                throw new NeuriteException("options.dim", $"--dim '{pair}': expected NAME=SIZE with a positive integer SIZE, for example N=1");
            }
            result[pair[..equals]] = size;
        }
        return result.ToImmutable();
    }
}
