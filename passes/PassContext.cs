using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>What every pass may consult: the op semantics, the limits it must respect, and where to report.</summary>
public sealed class PassContext(OpRegistry registry, OptimizationLimits limits)
{
    private readonly List<Diagnostic> diagnostics = [];

    public PassContext() : this(OpRegistry.Default, OptimizationLimits.Default)
    {
    }

    public OpRegistry Registry { get; } = registry;
    public OptimizationLimits Limits { get; } = limits;

    /// <summary>Warnings and notes passes raise (a rewrite that did not converge, a fold that was too large).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    public void Report(Diagnostic diagnostic) => diagnostics.Add(diagnostic);
}

/// <summary>Bounds that keep optimisation from trading a small model for a huge one or running forever.</summary>
public sealed record OptimizationLimits(int MaxFoldedElements, int MaxRewriteSweeps)
{
    /// <summary>
    /// 4 Mi elements (16 MB of float32) is larger than any weight transform constant folding is
    /// meant for, and smaller than the tensors a ConstantOfShape/Expand/Tile could blow up to.
    /// </summary>
    public static OptimizationLimits Default { get; } = new(MaxFoldedElements: 1 << 22, MaxRewriteSweeps: 64);
}
