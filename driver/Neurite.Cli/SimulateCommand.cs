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
        var labels = new Option<FileInfo?>("--labels") { Description = "Class labels (.npy, .pb or IDX): compare them with the first output's argmax and report accuracy." };
        var compare = new Option<DirectoryInfo?>("--compare")
        {
            Description = "A folder of reference outputs (NAME.npy, as 'neurite run --output-dir' writes them): print each output's maximum absolute difference from it.",
        };
        var command = new Command("simulate", "Run an artifact folder with its target's simulator (for the CPU target: the emitted C, compiled natively).")
        {
            folder, inputs, random, outputDir, labels, compare,
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
            if (parsed.GetValue(compare) is DirectoryInfo reference)
            {
                Compare(outputs, reference);
            }
            return CommandGuard.Success;
        }));
        return command;
    }

    private static void Compare(IReadOnlyDictionary<string, Tensor> outputs, DirectoryInfo reference)
    {
        var table = new TextTable("output", "reference file", "max |difference|");
        foreach (var (name, actual) in outputs)
        {
            string path = Path.Combine(reference.FullName, TensorFileIO.FileStem(name) + ".npy");
            if (!File.Exists(path))
            {
                throw new NeuriteException("compare.file", $"no reference for output '{name}': '{path}' does not exist");
            }
            var expected = TensorFileIO.Read(path) as Tensor;
            if (expected is null || !expected.Shape.SequenceEqual(actual.Shape))
            {
                throw new NeuriteException("compare.shape", $"'{path}' holds {expected?.Type.ToString() ?? "no tensor"}, output '{name}' is {actual.Type}");
            }
            double worst = 0;
            for (int i = 0; i < actual.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(actual.GetDouble(i) - expected.GetDouble(i)));
            }
            table.Add(name, path, worst.ToString("G3", CultureInfo.InvariantCulture));
        }
        Console.Write(table);
    }
}
