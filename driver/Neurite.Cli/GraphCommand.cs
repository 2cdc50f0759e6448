using System.CommandLine;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite graph MODEL -o FILE.svg|.png|.dot [--passes PIPELINE]</c>: draws the graph with
/// Graphviz, each node labelled with its op, shapes and quantisation or spiking parameters;
/// optionally after running a pass pipeline, to see what optimisation made of it.
/// </summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The model to draw (.onnx)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The picture: .svg, .png (rendered by Graphviz) or .dot.", Required = true };
        var passes = new Option<string?>("--passes", "-p") { Description = "Draw the model after this pipeline or list of passes (e.g. default)." };
        var command = new Command("graph", "Draw a model's graph with Graphviz (.svg, .png or .dot).") { model, output, passes };
        command.SetAction(parsed => CommandGuard.Run(() =>
        {
            var target = parsed.GetValue(output)!;
            string? pipeline = parsed.GetValue(passes);
            var loaded = NeuriteModel.Load(parsed.GetValue(model)!.FullName);
            var drawn = pipeline is null ? loaded.Model : Optimizer.Run(loaded, pipeline).Model;
            GraphPicture.Save(drawn, target.FullName);
            Console.WriteLine($"wrote {target.FullName} ({drawn.Graph.Nodes.Length} nodes)");
            return CommandGuard.Success;
        }));
        return command;
    }
}
