using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>How a pipeline runs: with verification after each pass, and with IR dumps.</summary>
public sealed record PassManagerOptions
{
    /// <summary>Run the verifier (structure and type inference) after every pass that changed the graph. On in tests and debug runs.</summary>
    public bool VerifyEachPass { get; init; }

    /// <summary>When set, the IR before the first pass and after every pass is written here, one numbered file per pass.</summary>
    public string? DumpDirectory { get; init; }

    /// <summary>How dumps are written; the driver plugs in the DSL printer, the plain-text writer stands in until then.</summary>
    public IrDumpFormat DumpFormat { get; init; } = IrDumpFormat.PlainText;

    /// <summary>Called after every pass with what it did and the model it produced (progress displays, memory probes in benchmarks).</summary>
    public Action<PassRun, Model>? AfterEachPass { get; init; }

    public OpRegistry Registry { get; init; } = OpRegistry.Default;

    public OptimizationLimits Limits { get; init; } = OptimizationLimits.Default;
}
