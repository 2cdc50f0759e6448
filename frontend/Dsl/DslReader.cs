using Neurite.Frontend.Onnx;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

public sealed record DslReadOptions
{
    /// <summary>Run the verifier (ops known, types consistent) after building.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>The registry that decides which ops are known; <see cref="OpRegistry.Default"/> when null.</summary>
    public OpRegistry? Registry { get; init; }
}

/// <summary>
/// Reads programs in the Neurite language (<c>.nrt</c>) into the IR. Syntax errors, then
/// semantic errors (unknown ops, attributes, names, weight files), then the verifier's findings
/// are reported with file:line:column; each stage reports all of its problems.
/// <code>
///   var model = DslReader.Load("samples/lenet5/lenet5.nrt");
/// </code>
/// </summary>
public static class DslReader
{
    public const string Extension = ".nrt";

    public static Model Load(string path, DslReadOptions? options = null) => Import(path, options).ModelOrThrow();

    public static ImportResult Import(string path, DslReadOptions? options = null)
    {
        if (!File.Exists(path))
        {
            return new ImportResult(null, [Diagnostic.Error("dsl.file", $"model file '{path}' does not exist", new SourceLocation(path))]);
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            return new ImportResult(null, [Diagnostic.Error("dsl.file", $"cannot read '{path}': {e.Message}", new SourceLocation(path))]);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)), options);
    }

    /// <summary>
    /// Reads a program from text. <paramref name="fileName"/> is how diagnostics name it;
    /// <paramref name="folder"/> is where its weight files live (null: it may not name any).
    /// </summary>
    public static ImportResult Parse(string text, string fileName = "<text>", string? folder = null, DslReadOptions? options = null)
    {
        options ??= new DslReadOptions();
        var diagnostics = new List<Diagnostic>();
        var (tree, names) = DslSyntax.Parse(text, fileName, diagnostics);
        if (diagnostics.Count > 0)
        {
            return new ImportResult(null, diagnostics);
        }
        var problems = new DslProblems(fileName);
        var builder = new ModelBuilder(problems, folder, options.Registry ?? OpRegistry.Default, names);
        var model = builder.Build(tree.model());
        if (model is null || problems.HasErrors)
        {
            return new ImportResult(null, problems.All);
        }
        var found = new List<Diagnostic>(problems.All);
        if (options.Verify)
        {
            found.AddRange(builder.Verify(model));
        }
        return new ImportResult(model, found);
    }
}
