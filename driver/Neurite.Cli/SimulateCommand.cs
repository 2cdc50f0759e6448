using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Neurite.Backends;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite simulate DIR --input NAME=FILE ... | --random SEED [--output-dir OUT] [--labels FILE]</c>:
/// loads any artifact folder by its manifest and runs the emitted files with the target's simulator.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("ARTIFACT") { Description = "An artifact folder written by 'neurite compile'." };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "An input as NAME=FILE (.pb or .npy); FILE alone for an artifact with one input. Repeat for several.",
            AllowMultipleArgumentsPerToken = false,
        };
        var random = new Option<int?>("--random") { Description = "Generate the inputs not given with --input from this seed." };
        var outputDir = new Option<DirectoryInfo?>("--output-dir", "-o") { Description = "Write every output as NAME.pb and NAME.npy here." };
        var labels = new Option<FileInfo?>("--labels") { Description = "Class labels (.npy or .pb): compare them with the first output's argmax and report accuracy." };
        var command = new Command("simulate", "Run an artifact folder with its target's simulator (for the CPU target: the emitted C, compiled natively).")
        {
            folder, inputs, random, outputDir, labels,
        };
        command.SetAction(parsed => CommandGuard.Run(() =>
        {
            var path = parsed.GetValue(folder)!.FullName;
            using var simulator = TargetRegistry.Default.Load(path);
            var declared = simulator.Inputs.Select(i => new ValueInfo(i.Name, new TensorType(ElementType.Float32, Shape.Of([.. i.Shape])))).ToList();
            var values = RunIO.GatherInputs(declared, parsed.GetValue(inputs) ?? [], parsed.GetValue(random), []);
            var tensors = values.ToDictionary(p => p.Key, p => p.Value as Tensor
                ?? throw new NeuriteException("input.type", $"input '{p.Key}' is a {p.Value.Type}, not a tensor"));
            var watch = Stopwatch.StartNew();
            var outputs = simulator.Run(tensors);
            watch.Stop();
            Console.WriteLine($"ran {Path.GetFileName(path)} in {watch.Elapsed.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture)} ms ({Artifact.Open(path).Manifest.Target} simulator)");
            RunIO.Report(outputs.ToDictionary(p => p.Key, p => (IValue)p.Value), simulator.Outputs[0].Name, parsed.GetValue(outputDir), parsed.GetValue(labels));
            return CommandGuard.Success;
        }));
        return command;
    }
}
