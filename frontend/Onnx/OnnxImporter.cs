using Google.Protobuf;
using Neurite.Frontend.Onnx.Proto;
using Neurite.Frontend.Onnx.Qonnx;
using Neurite.Ir;

namespace Neurite.Frontend.Onnx;

public sealed record OnnxImportOptions
{
    /// <summary>Run the verifier (ops known, types consistent) after import.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>The registry that decides which ops are known; <see cref="OpRegistry.Default"/> when null.</summary>
    public OpRegistry? Registry { get; init; }
}

/// <summary>The model (when the file could be read at all) and every problem found on the way.</summary>
public sealed record ImportResult(Model? Model, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Model is null || Diagnostics.Any(d => d.Severity == Severity.Error);

    public Model ModelOrThrow()
    {
        if (HasErrors)
        {
            throw new NeuriteException(Diagnostics.Where(d => d.Severity == Severity.Error).ToList());
        }
        return Model!;
    }
}

/// <summary>
/// Reads ONNX models (ModelProto) into the IR: opsets, initializers (raw data borrowed, external
/// data mapped lazily and confined to the model's folder), Constant nodes, sparse tensors,
/// subgraphs, and local functions (inlined). Every problem is a diagnostic; nothing throws past
/// <see cref="NeuriteException"/>.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Loads a model and throws <see cref="NeuriteException"/> with all errors if it is not usable.</summary>
    public static Model Load(string path, OnnxImportOptions? options = null) => Import(path, options).ModelOrThrow();

    /// <summary>Reads a model and reports problems instead of throwing (for inspection of partly supported models).</summary>
    public static ImportResult Import(string path, OnnxImportOptions? options = null)
    {
        if (!File.Exists(path))
        {
            return Fail("onnx.file", $"model file '{path}' does not exist", path);
        }
        ModelProto proto;
        try
        {
            // A symbolic link's own length is that of the path it holds: measure and map the file it names.
            var file = new FileInfo(path);
            string contents = (file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file).FullName;
            long length = new FileInfo(contents).Length;
            if (length == 0)
            {
                return Fail("onnx.parse", $"'{path}' is empty, not an ONNX model", path);
            }
            if (length > int.MaxValue)
            {
                return Fail("onnx.parse", $"'{path}' is {length} bytes; a protobuf file holds at most 2 GB (larger models keep their weights as external data)", path);
            }
            // Parsing from a mapped view copies each large field once, into the protobuf message that
            // tensors then borrow; parsing from a stream would copy them twice.
            using var mapped = new MappedFileMemory(contents, 0, (int)length);
            proto = ModelProto.Parser.ParseFrom(mapped.GetSpan());
        }
        catch (InvalidProtocolBufferException e)
        {
            return Fail("onnx.parse", $"'{path}' is not a valid ONNX model (truncated or corrupt protobuf: {e.Message})", path);
        }
        catch (IOException e)
        {
            return Fail("onnx.file", $"cannot read '{path}': {e.Message}", path);
        }
        return Import(proto, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", path, options);
    }

    /// <summary>Imports a parsed model; <paramref name="folder"/> is where its external data lives.</summary>
    internal static ImportResult Import(ModelProto proto, string? folder, string? fileName, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        var diagnostics = new List<Diagnostic>();
        string shownName = fileName ?? "<model>";
        if (proto.Graph is null)
        {
            return Fail("onnx.parse", $"'{shownName}' holds no graph: it is not an ONNX model, or it is corrupt", fileName);
        }
        var opsets = ReadOpsets(proto, diagnostics, fileName);
        try
        {
            FunctionInliner.Inline(proto);
        }
        catch (FormatException e)
        {
            return Fail("onnx.function", e.Message, fileName);
        }
        var reader = new TensorProtoReader(folder is null ? null : new ExternalDataPolicy(folder));
        Graph graph;
        try
        {
            graph = new GraphImporter(reader, diagnostics, fileName).Import(proto.Graph);
        }
        catch (NeuriteException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            return new ImportResult(null, diagnostics);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A malformation no check above anticipates: still a diagnostic for the user, not a crash.
            diagnostics.Add(Diagnostic.Error("onnx.malformed", $"'{shownName}' is malformed: {e.Message}", new SourceLocation(fileName)));
            return new ImportResult(null, diagnostics);
        }
        var metadata = new ModelMetadata(proto.IrVersion, proto.ProducerName, proto.ProducerVersion, proto.Domain,
            proto.ModelVersion, proto.DocString, [.. proto.MetadataProps.Select(p => new KeyValuePair<string, string>(p.Key, p.Value))]);
        QonnxDomains.ImportImplicitly(opsets, graph, diagnostics, fileName);
        var model = new Model(graph, opsets, metadata);
        if (options.Verify && !diagnostics.Any(d => d.Severity == Severity.Error))
        {
            diagnostics.AddRange(GraphVerifier.Verify(model, options.Registry)
                .Select(d => d with { Location = (d.Location ?? new SourceLocation()) with { File = fileName } }));
        }
        return new ImportResult(model, diagnostics);
    }

    /// <summary>Parses a model from bytes (tests, embedding); external data resolves against <paramref name="folder"/>.</summary>
    public static Model Load(ReadOnlySpan<byte> bytes, string? folder = null, OnnxImportOptions? options = null)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new NeuriteException("onnx.parse", $"not a valid ONNX model (truncated or corrupt protobuf: {e.Message})");
        }
        return Import(proto, folder, null, options).ModelOrThrow();
    }

    private static Dictionary<string, int> ReadOpsets(ModelProto proto, List<Diagnostic> diagnostics, string? fileName)
    {
        var opsets = new Dictionary<string, int>();
        foreach (var entry in proto.OpsetImport)
        {
            string domain = QonnxDomains.Canonical(OpDomains.Normalize(entry.Domain));
            if (entry.Version is < 1 or > int.MaxValue)
            {
                diagnostics.Add(Diagnostic.Error("onnx.opset", $"domain '{OpDomains.Display(domain)}' is imported with version {entry.Version}", new SourceLocation(fileName)));
                continue;
            }
            // Aliases of one domain (QONNX's) keep the newest version any of them is imported with.
            opsets[domain] = Math.Max(opsets.GetValueOrDefault(domain), (int)entry.Version);
        }
        if (!opsets.ContainsKey(OpDomains.Onnx) && proto.IrVersion < 3)
        {
            // IR versions 1 and 2 predate opset_import: they mean the first ONNX opset.
            opsets[OpDomains.Onnx] = 1;
        }
        return opsets;
    }

    private static ImportResult Fail(string code, string message, string? fileName) =>
        new(null, [Diagnostic.Error(code, message, fileName is null ? null : new SourceLocation(fileName))]);
}
