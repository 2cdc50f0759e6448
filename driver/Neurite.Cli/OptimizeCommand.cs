using System.CommandLine;
using Neurite.Ir;
using Neurite.Passes;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite optimize MODEL -o OUT.onnx [--passes a,b,c] [--dump-ir DIR] [--verify-each]</c>: runs a
/// pass pipeline, writes the optimised model, and prints a per-pass timing table.
/// <c>neurite optimize --list</c> names every pass and pipeline.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo?>("MODEL") { Description = "The model to optimise (.onnx or .nrt).", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the optimised model (.onnx, or .nrt with large tensors in the .npz beside it)." };
        var passes = new Option<string>("--passes", "-p")
        {
            Description = "A pipeline name (default, onnx) or a comma-separated list of passes and pipelines.",
            DefaultValueFactory = _ => Optimizer.DefaultPipeline,
        };
        var dumpIr = new Option<DirectoryInfo?>("--dump-ir") { Description = "Write the IR before the first and after every pass here, one numbered file per pass." };
        var verify = new Option<bool>("--verify-each") { Description = "Run the verifier after every pass (names the pass that broke a graph)." };
        var list = new Option<bool>("--list") { Description = "List the passes and pipelines, then stop." };
        var command = new Command("optimize", "Run graph optimisations (constant folding, BatchNormalization folding, fusion, ...) and write the result.")
        {
            model, output, passes, dumpIr, verify, list,
        };
        command.SetAction(parsed => CommandGuard.Run(() => parsed.GetValue(list)
            ? List()
            : Optimize(parsed.GetValue(model), parsed.GetValue(output), parsed.GetValue(passes)!, parsed.GetValue(dumpIr), parsed.GetValue(verify))));
        return command;
    }

    private static int List()
    {
        var registry = PassRegistry.Default;
        var table = new TextTable("pass", "what it does");
        foreach (var pass in registry.PassNames)
        {
            table.Add(pass, registry.Describe(pass));
        }
        Console.Write(table);
        Console.WriteLine("pipelines:");
        foreach (var pipeline in registry.PipelineNames)
        {
            Console.WriteLine($"  {pipeline}: {string.Join(", ", registry.PipelineSteps(pipeline))}");
        }
        return CommandGuard.Success;
    }

    private static int Optimize(FileInfo? file, FileInfo? target, string pipeline, DirectoryInfo? dumpIr, bool verify)
    {
        if (file is null)
        {
            throw new NeuriteException("optimize.model", "no model given: neurite optimize MODEL -o OUT.onnx");
        }
        if (target is null)
        {
            throw new NeuriteException("optimize.output", "no output given: name the optimised model with -o OUT.onnx");
        }
        var format = OutputFormat(target);
        PassRegistry.Default.Resolve(pipeline); // unknown pass names fail before the model is read
        var loaded = NeuriteModel.Load(file.FullName);
        var result = Optimizer.Run(loaded, pipeline, new OptimizeOptions { VerifyEachPass = verify, DumpDirectory = dumpIr?.FullName });
        format.Write(result.Model, target.FullName);
        Console.Write(result.Report.FormatTable());
        foreach (var diagnostic in result.Report.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic);
        }
        Console.WriteLine($"wrote {target.FullName} ({loaded.Graph.Nodes.Length} -> {result.Model.Graph.Nodes.Length} nodes, {result.Model.Graph.Initializers.Length} initializers)");
        if (dumpIr is not null)
        {
            Console.WriteLine($"IR after every pass in {dumpIr.FullName}");
        }
        return CommandGuard.Success;
    }

    /// <summary>The one place that maps an output extension to a writer: ONNX, or the Neurite language with its .npz side file.</summary>
    private static (string Name, Action<Model, string> Write) OutputFormat(FileInfo target) =>
        Path.GetExtension(target.Name).ToLowerInvariant() switch
        {
            ".onnx" => ("ONNX", Frontend.Onnx.OnnxExporter.Save),
            ".nrt" => ("Neurite language", (model, path) => Frontend.Dsl.DslPrinter.Save(model, path)),
            var other => throw new NeuriteException("optimize.format", $"'{target.Name}': optimize writes .onnx or .nrt files, not '{(other.Length == 0 ? "(no extension)" : other)}'"),
        };
}
