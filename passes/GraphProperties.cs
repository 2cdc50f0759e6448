namespace Neurite.Passes;

/// <summary>
/// Facts about a graph that a pass may need before it runs and may keep, establish or destroy.
/// The pass manager tracks them along a pipeline so a pass that needs shapes gets them without
/// every pass re-inferring them "just in case".
/// </summary>
[Flags]
public enum GraphProperties
{
    None = 0,

    /// <summary>Every intermediate value carries its inferred type in <see cref="Ir.Graph.ValueInfo"/>.</summary>
    ShapesInferred = 1,

    /// <summary>Every dimension of every graph input is a known number (no symbolic batch).</summary>
    StaticShapes = 2,

    /// <summary>Every node contributes to a graph output and every initializer is read.</summary>
    NoDeadCode = 4,

    All = ShapesInferred | StaticShapes | NoDeadCode,
}
