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
            Description = "Class labels (.npy or .pb, one integer per sample): compare them with the first output's argmax and report accuracy.",
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
        var dimensions = ParsePairs(dimArguments, "--dim").ToDictionary(p => p.Key, p => ParseSize(p.Key, p.Value));
        var values = new Dictionary<string, IValue>();
        foreach (var (name, path) in ParseInputs(inputArguments, graph))
        {
            var declared = graph.Inputs.FirstOrDefault(i => i.Name == name)
                ?? throw new NeuriteException("input.unknown", $"'{name}' is not an input of the model; its inputs are {string.Join(", ", graph.Inputs.Select(i => $"'{i.Name}'"))}");
            if (!File.Exists(path))
            {
                throw new NeuriteException("input.file", $"input file '{path}' for '{name}' does not exist");
            }
            values[name] = TensorFileIO.Read(path, declared.Type);
        }
        foreach (var input in graph.Inputs.Where(i => !values.ContainsKey(i.Name)))
        {
            if (seed is null)
            {
                throw new NeuriteException("input.missing", $"input '{input.Name}' ({input.Type?.ToString() ?? "type unknown"}) was not given: pass --input {input.Name}=FILE or --random SEED");
            }
            values[input.Name] = RandomInputs.For(input, seed.Value, dimensions);
        }

        var watch = Stopwatch.StartNew();
        var outputs = loaded.Run(values);
        watch.Stop();

        var table = new TextTable("output", "type", "min", "max", "mean", "argmax (last axis)");
        foreach (var (name, value) in outputs)
        {
            if (value is Tensor t)
            {
                var (min, max, mean) = Statistics(t);
                table.Add(name, t.Type.ToString()!, min, max, mean, ArgMax(t));
            }
            else
            {
                table.Add(name, value.Type.ToString()!, "", "", "", "");
            }
        }
        Console.WriteLine($"ran {file.Name} in {watch.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms (reference interpreter)");
        Console.Write(table);
        if (labels is not null)
        {
            var first = outputs[graph.Outputs[0].Name] as Tensor
                ?? throw new NeuriteException("labels.output", $"output '{graph.Outputs[0].Name}' is not a tensor, so it has no classes to compare with --labels");
            ClassificationReport.Print(first, ReadLabels(labels));
        }
        if (outputDir is not null)
        {
            var (written, notes) = TensorFileIO.WriteOutputs(outputs, outputDir.FullName);
            Console.WriteLine($"wrote {written.Count} files to {outputDir.FullName}");
            foreach (var note in notes)
            {
                Console.WriteLine($"note: {note}");
            }
        }
        return CommandGuard.Success;
    }

    private static long[] ReadLabels(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new NeuriteException("labels.file", $"labels file '{file.FullName}' does not exist");
        }
        var labels = TensorFileIO.Read(file.FullName) as Tensor;
        if (labels is null || !labels.DataType.IsInteger())
        {
            throw new NeuriteException("labels.type", $"'{file.Name}' must hold integer class labels, it holds {labels?.ElementType.ToString() ?? "no tensor"}");
        }
        return labels.ToInt64Array();
    }

    private static IEnumerable<(string Name, string Path)> ParseInputs(string[] arguments, Graph graph)
    {
        foreach (var argument in arguments)
        {
            int equals = argument.IndexOf('=');
            if (equals > 0)
            {
                yield return (argument[..equals], argument[(equals + 1)..]);
            }
            else if (graph.Inputs.Length == 1)
            {
                yield return (graph.Inputs[0].Name, argument);
            }
            else
            {
                throw new NeuriteException("input.syntax", $"--input '{argument}': the model has {graph.Inputs.Length} inputs, so write NAME=FILE");
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> ParsePairs(string[] arguments, string option)
    {
        foreach (var argument in arguments)
        {
            int equals = argument.IndexOf('=');
            if (equals <= 0)
            {
                throw new NeuriteException("input.syntax", $"{option} '{argument}': expected NAME=VALUE");
            }
            yield return new(argument[..equals], argument[(equals + 1)..]);
        }
    }

    private static int ParseSize(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size > 0
            ? size
            : throw new NeuriteException("input.syntax", $"--dim {name}={text}: the size must be a positive integer");

    private static (string Min, string Max, string Mean) Statistics(Tensor t)
    {
        if (t.DataType == DataType.String || t.Length == 0)
        {
            return ("", "", "");
        }
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        for (int i = 0; i < t.Length; i++)
        {
            double v = t.GetDouble(i);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
        }
        static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
        return (F(min), F(max), F(sum / t.Length));
    }

    /// <summary>For each row, the index of its largest element (the predicted class of a classifier); the first rows only.</summary>
    private static string ArgMax(Tensor t)
    {
        if (t.Rank == 0 || t.DataType == DataType.String || t.Length == 0)
        {
            return "";
        }
        int width = t.Dim(-1);
        int rows = t.Length / width;
        var shown = new List<string>();
        for (int r = 0; r < Math.Min(rows, 8); r++)
        {
            int best = 0;
            for (int j = 1; j < width; j++)
            {
                if (t.GetDouble(r * width + j) > t.GetDouble(r * width + best))
                {
                    best = j;
                }
            }
            shown.Add(best.ToString(CultureInfo.InvariantCulture));
        }
        return string.Join(" ", shown) + (rows > 8 ? " ..." : "");
    }
}
