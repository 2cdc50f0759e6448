using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Neurite.Passes.Tests;

/// <summary>
/// The default pipeline over every model of ../shared/models that Neurite runs: the optimised
/// model computes what the original computes, within 1e-5 (|after - before| ≤ 1e-5 · max(1, |before|)),
/// on real test images for the data-set models and reproducible random inputs for the rest, plus one
/// more random input set for every model (floats in [-1, 1), symbolic dimensions 2); the
/// verifier accepts the graph after every pass. Node counts before and after go to the test output
/// and to artifacts/passes/default-pipeline.txt.
/// </summary>
public sealed class CatalogEquivalenceTests(ITestOutputHelper output)
{
    private static readonly ConcurrentDictionary<string, string> Rows = new();

    /// <summary>Every model Neurite imports (QONNX ones included: the interpreter is the reference here).</summary>
    public static TheoryData<string> Models() => [.. ModelCatalog.AllModelFiles().Where(p => !ModelExceptions.Invalid.ContainsKey(p))];

    /// <summary>The models ONNX Runtime runs as they are (not the QONNX ones: it has no kernels for their quantisers).</summary>
    public static TheoryData<string> OnnxRuntimeModels() => [.. ModelCatalog.AllModelFiles().Where(p => !ModelExceptions.Excluded(p))];

    [Theory]
    [MemberData(nameof(Models))]
    public void DefaultPipelineKeepsWhatEveryModelComputes(string relativePath)
    {
        var model = OnnxImporter.Load(SharedData.Path("models", relativePath));
        var inputs = ModelInputs.For(model, relativePath);
        var options = new EquivalenceOptions { RandomInputSets = 1, RealInputs = [("catalog inputs", inputs)] };
        var result = PassEquivalence.AssertPreserves(model, "default", options);
        double difference = result.LargestDifference;
        var report = result.Report;
        string row = string.Create(CultureInfo.InvariantCulture,
            $"| {relativePath} | {model.Graph.Nodes.Length} | {result.Model.Graph.Nodes.Length} | {Histogram(model)} → {Histogram(result.Model)} | {difference:G3} | {report.Total.TotalMilliseconds:F0} |");
        output.WriteLine(row);
        output.WriteLine(report.FormatTable());
        Rows[relativePath] = row;
        WriteTable();
    }

    /// <summary>
    /// The <c>onnx</c> pipeline's output is still standard ONNX: exported, ONNX Runtime loads and
    /// runs it and computes what it computes on the original model (both with ONNX Runtime's own
    /// rewrites off), within 1e-5 · max(1, |value|). ONNX Runtime 1.31 runs opset 7 and later only,
    /// so the opset-1 and opset-6 models are checked by the interpreter alone (above).
    /// </summary>
    [Theory]
    [MemberData(nameof(OnnxRuntimeModels))]
    public void OnnxPipelineOutputRunsInOnnxRuntimeWithTheSameResults(string relativePath)
    {
        string path = SharedData.Path("models", relativePath);
        var model = OnnxImporter.Load(path);
        if (model.OpsetOf("") < 7)
        {
            return;
        }
        var optimised = PassEquivalence.AssertPreserves(model, "onnx", new EquivalenceOptions { RandomInputSets = 0, RealInputs = [("catalog inputs", ModelInputs.For(model, relativePath))] }).Model;
        Assert.DoesNotContain(optimised.Graph.Nodes, n => n.Domain == OpDomains.Neurite);
        var inputs = ModelInputs.For(model, relativePath);
        using var before = new OnnxRuntimeReference(path, optimize: false);
        using var after = new OnnxRuntimeReference(OnnxExporter.ToBytes(optimised), optimize: false);
        var expected = before.Run(inputs);
        var actual = after.Run(inputs);
        foreach (var (name, value) in expected)
        {
            Assert.Null(TensorComparison.Compare(value, actual[name], PassEquivalence.DefaultTolerance, PassEquivalence.DefaultTolerance));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{relativePath}: {model.Graph.Nodes.Length} -> {optimised.Graph.Nodes.Length} nodes, ONNX Runtime agrees"));
    }

    /// <summary>The ops a pass typically removes, counted: what the node-count change is made of.</summary>
    private static string Histogram(Model model)
    {
        string[] watched = ["BatchNormalization", "Identity", "Dropout", "Constant", "Shape", "Reshape", "Add", "Mul", "MatMul", "Gemm", "FusedConv", "FusedGemm"];
        var counts = watched.Select(op => (op, n: model.Graph.Nodes.Count(x => x.OpType == op))).Where(p => p.n > 0);
        return string.Join(" ", counts.Select(p => $"{p.op}:{p.n}"));
    }

    private static void WriteTable()
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "artifacts", "passes");
        Directory.CreateDirectory(folder);
        var text = new StringBuilder("| model | nodes before | nodes after | ops before → after | max abs diff | pipeline ms |\n|---|---:|---:|---|---:|---:|\n");
        foreach (var row in Rows.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(row.Value).Append('\n');
        }
        lock (Rows)
        {
            File.WriteAllText(Path.Combine(folder, "default-pipeline.md"), text.ToString());
        }
    }
}
