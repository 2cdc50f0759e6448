using Neurite.Ir;

namespace Neurite.Frontend.Onnx.Qonnx;

/// <summary>
/// The domain names QONNX's quantisers have gone by: Brevitas exports them as "onnx.brevitas",
/// FINN wrote "finn.custom_op.general", QONNX now writes "qonnx.custom_op.general". They name
/// the same ops, so the importer files them under one IR domain (<see cref="OpDomains.Qonnx"/>).
/// </summary>
internal static class QonnxDomains
{
    public const string ChannelsLast = "qonnx.custom_op.channels_last";

    private static readonly HashSet<string> QuantiserAliases = ["onnx.brevitas", "finn.custom_op.general", OpDomains.Qonnx];

    public static string Canonical(string domain) => QuantiserAliases.Contains(domain) ? OpDomains.Qonnx : domain;

    /// <summary>
    /// QONNX tools never required an opset import for their own domains, and FINN's models omit
    /// it; a model that uses the quantisers without importing them means version 1.
    /// </summary>
    public static void ImportImplicitly(Dictionary<string, int> opsets, Graph graph, List<Diagnostic> diagnostics, string? fileName)
    {
        if (!opsets.ContainsKey(OpDomains.Qonnx) && UsesQuantisers(graph))
        {
            opsets[OpDomains.Qonnx] = 1;
            diagnostics.Add(Diagnostic.Warning("onnx.opset-implicit",
                $"the model uses QONNX ops without importing domain '{OpDomains.Qonnx}'; reading them as its version 1",
                new SourceLocation(fileName)));
        }
    }

    private static bool UsesQuantisers(Graph graph) =>
        graph.Nodes.Any(n => n.Domain == OpDomains.Qonnx || n.Subgraphs.Any(UsesQuantisers));
}
