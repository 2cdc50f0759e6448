using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// How the pass manager writes one IR dump: a file extension and a writer that is given the
/// model and the dump's path (it may write side files beside it with the same stem, as the DSL
/// printer does with its .npz). The passes layer does not know the DSL (it lives in frontend/);
/// the driver supplies the DSL printer, and <see cref="PlainText"/> is the fallback.
/// </summary>
public sealed record IrDumpFormat(string Extension, Action<Model, string> WriteFile)
{
    public static IrDumpFormat PlainText { get; } = FromText(".ir.txt", PlainTextIrWriter.Write);

    /// <summary>A format whose whole dump is one text file.</summary>
    public static IrDumpFormat FromText(string extension, Func<Model, string> write) =>
        new(extension, (model, path) => File.WriteAllText(path, write(model)));
}
