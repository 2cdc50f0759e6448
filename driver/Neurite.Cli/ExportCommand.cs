using System.CommandLine;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary><c>neurite export MODEL -o OUT.onnx</c>: import, verify, write back as ONNX.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The model to export (.onnx or .nrt)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the ONNX file.", Required = true };
        var command = new Command("export", "Import a model and write it as ONNX (a round trip through Neurite's IR).") { model, output };
        command.SetAction(parsed => CommandGuard.Run(() =>
        {
            var target = parsed.GetValue(output)!;
            if (!target.Name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                throw new NeuriteException("export.format", $"'{target.Name}': export writes ONNX files; name the output *.onnx");
            }
            var loaded = NeuriteModel.Load(parsed.GetValue(model)!.FullName);
            loaded.Export(target.FullName);
            Console.WriteLine($"wrote {target.FullName} ({loaded.Graph.Nodes.Length} nodes, {loaded.Graph.Initializers.Length} initializers)");
            return CommandGuard.Success;
        }));
        return command;
    }
}
