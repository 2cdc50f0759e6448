using System.CommandLine;
using System.Globalization;
using Neurite.Backends;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite compile MODEL --target cpu -o DIR [--dim N=1] [--cflags FLAGS] [--cc COMPILER]
/// [--quantize --calib DATA ...]</c>: load, optimise (or quantise, with the options of
/// <c>neurite quantize</c>), check against the target, emit an artifact folder (written whole or
/// not at all).
/// </summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The model to compile (.onnx)." };
        var target = new Option<string>("--target", "-t") { Description = $"The target: {string.Join(", ", TargetRegistry.Default.Names)}.", DefaultValueFactory = _ => "cpu" };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "The artifact folder to write (new, empty, or an earlier artifact).", Required = true };
        var dims = new Option<string[]>("--dim") { Description = "Size of a symbolic dimension, as NAME=SIZE (default 1); bound at compile time." };
        var cflags = new Option<string?>("--cflags") { Description = "C compiler flags the CPU simulator builds with (default \"-O3 -march=native\"); write --cflags=\"...\"." };
        var cc = new Option<string?>("--cc") { Description = "The C compiler the CPU simulator builds with (default cc)." };
        var quantize = new Option<bool>("--quantize")
        {
            Description = "Post-training quantisation before emission (calibrated on --calib; the quantize command's options apply, fixed point too: --activations 'fixed<16,6>'). "
                + "The target's check decides whether it can emit the quantised ops (the CPU target has no fixed-point kernels).",
        };
        var quantization = new QuantizationArguments();
        var command = new Command("compile", "Compile a model for a target into an artifact folder with a manifest.") { model, target, output, dims, cflags, cc, quantize };
        foreach (var option in quantization.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(parsed => CommandGuard.Run(() =>
        {
            bool quantized = parsed.GetValue(quantize);
            if (!quantized && quantization.Given(parsed) is { Count: > 0 } given)
            {
                throw new NeuriteException("compile.quantize", $"{string.Join(", ", given)} {(given.Count == 1 ? "is a quantisation option" : "are quantisation options")}: add --quantize");
            }
            var settings = quantized ? quantization.Settings(parsed) : null;
            var options = new TargetOptions { Dimensions = TargetOptions.ParseDimensions(parsed.GetValue(dims) ?? []) };
            if (parsed.GetValue(cflags) is string flags)
            {
                options = options.WithSetting("cflags", flags);
            }
            if (parsed.GetValue(cc) is string compiler)
            {
                options = options.WithSetting("cc", compiler);
            }
            var file = parsed.GetValue(model)!;
            var loaded = NeuriteModel.Load(file.FullName);
            var request = settings is null ? null : new QuantizationRequest(quantization.CalibrationData(parsed, loaded.Model), settings);
            var warnings = new List<Diagnostic>();
            Artifact artifact;
            try
            {
                artifact = loaded.Compile(parsed.GetValue(output)!.FullName, parsed.GetValue(target)!, options, request, warnings);
            }
            finally
            {
                // The quantiser's warnings matter most when the target then refuses the graph: they come first either way.
                foreach (var warning in warnings)
                {
                    Console.Error.WriteLine(warning);
                }
            }
            var manifest = artifact.Manifest;
            Console.WriteLine($"compiled {file.Name} for {manifest.Target} into {artifact.Folder.FullName}");
            Console.WriteLine($"files: {string.Join(", ", manifest.Files.Select(f => f.Path).Append(ArtifactManifest.FileName))}");
            Console.WriteLine($"passes: {(manifest.Source.Passes.Count == 0 ? "none" : string.Join(", ", manifest.Source.Passes))}");
            var table = new TextTable("metric", "value");
            foreach (var (name, value) in manifest.Metrics)
            {
                table.Add(name, value.ToString("N0", CultureInfo.InvariantCulture));
            }
            Console.Write(table);
            return CommandGuard.Success;
        }));
        return command;
    }
}
