using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// <c>neurite run MODEL --input NAME=FILE ... [--random SEED] [--dim N=4] [--output-dir DIR]</c>:
/// runs the reference interpreter. Inputs come from .pb or .npy files, or are generated from a
/// seed; every output is written as NAME.pb and NAME.npy and summarised on the terminal.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The model to run (.onnx or .nrt)." };
        var inputs = new Option<string[]>("--input", "-i")
        {
            Description = "An input as NAME=FILE (.pb or .npy); FILE alone for a model with one input. Repeat for several.",
            AllowMultipleArgumentsPerToken = false,
        };
        var random = new Option<int?>("--random") { Description = "Generate the inputs not given with --input from this seed." };
        var dims = new Option<string[]>("--dim") { Description = "Size of a symbolic dimension for generated inputs, as NAME=SIZE (default 1)." };
        var outputDir = new Option<DirectoryInfo?>("--output-dir", "-o") { Description = "Write every output as NAME.pb and NAME.npy here." };
        var labels = new Option<FileInfo?>("--labels")
        {
            Description = "Class labels (.npy, .pb or IDX, one integer per sample): compare them with the first output's argmax and report accuracy.",
        };
        var command = new Command("run", "Run a model with the reference interpreter.") { model, inputs, random, dims, outputDir, labels };
        command.SetAction(parsed => CommandGuard.Run(() => Run(
            parsed.GetValue(model)!, parsed.GetValue(inputs) ?? [], parsed.GetValue(random), parsed.GetValue(dims) ?? [],
            parsed.GetValue(outputDir), parsed.GetValue(labels))));
        return command;
    }

    private static int Run(FileInfo file, string[] inputArguments, int? seed, string[] dimArguments, DirectoryInfo? outputDir, FileInfo? labels)
    {
        var loaded = NeuriteModel.Load(file.FullName);
        var graph = loaded.Graph;
        var values = RunIO.GatherInputs(graph.Inputs, inputArguments, seed, dimArguments);

        var watch = Stopwatch.StartNew();
        var outputs = loaded.Run(values);
        watch.Stop();

        Console.WriteLine($"ran {file.Name} in {watch.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms (reference interpreter)");
        RunIO.Report(outputs, graph.Outputs[0].Name, outputDir, labels);
        return CommandGuard.Success;
    }
}
