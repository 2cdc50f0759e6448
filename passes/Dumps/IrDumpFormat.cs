using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// How the pass manager writes one IR dump: a file extension and a text writer. The passes layer
/// does not know the DSL (it lives in frontend/); the driver supplies the DSL printer, and
/// <see cref="PlainText"/> is the deterministic fallback.
/// </summary>
public sealed record IrDumpFormat(string Extension, Func<Model, string> Write)
{
    public static IrDumpFormat PlainText { get; } = new(".ir.txt", PlainTextIrWriter.Write);
}
