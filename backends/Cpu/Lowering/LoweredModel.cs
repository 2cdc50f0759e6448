namespace Neurite.Backends.Cpu;

/// <summary>
/// The model as the C functions that run it: kernels in execution order, the views (reshapes and
/// identities that share their input's storage) and every reason the model cannot be emitted.
/// </summary>
public sealed record LoweredModel(
    BoundModel Bound,
    IReadOnlyList<Kernel> Kernels,
    IReadOnlyDictionary<string, string> Views,
    IReadOnlyList<Ir.Diagnostic> Diagnostics)
{
    /// <summary>The value whose storage <paramref name="value"/> shares (itself when it is no view).</summary>
    public string Storage(string value)
    {
        while (Views.TryGetValue(value, out var source))
        {
            value = source;
        }
        return value;
    }
}
