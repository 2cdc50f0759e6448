using System.Globalization;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary>
/// What <c>run</c> and <c>simulate</c> share: inputs from .pb/.npy files or a seed, and the
/// output summary table, the optional accuracy against labels and the written output files.
/// </summary>
internal static class RunIO
{
    /// <summary>Every input of <paramref name="declared"/>: from --input files, else generated from --random.</summary>
    public static Dictionary<string, IValue> GatherInputs(IReadOnlyList<ValueInfo> declared, string[] inputArguments, int? seed, string[] dimArguments)
    {
        var dimensions = ParsePairs(dimArguments, "--dim").ToDictionary(p => p.Key, p => ParseSize(p.Key, p.Value));
        var values = new Dictionary<string, IValue>();
        foreach (var (name, path) in ParseInputs(inputArguments, declared))
        {
            var input = declared.FirstOrDefault(i => i.Name == name)
                ?? throw new NeuriteException("input.unknown", $"'{name}' is not an input of the model; its inputs are {string.Join(", ", declared.Select(i => $"'{i.Name}'"))}");
            if (!File.Exists(path))
            {
                throw new NeuriteException("input.file", $"input file '{path}' for '{name}' does not exist");
            }
            values[name] = TensorFileIO.Read(path, input.Type);
        }
        foreach (var input in declared.Where(i => !values.ContainsKey(i.Name)))
        {
            if (seed is null)
            {
                throw new NeuriteException("input.missing", $"input '{input.Name}' ({input.Type?.ToString() ?? "type unknown"}) was not given: pass --input {input.Name}=FILE or --random SEED");
            }
            values[input.Name] = RandomInputs.For(input, seed.Value, dimensions);
        }
        return values;
    }

    /// <summary>Prints the outputs' summary, the accuracy against <paramref name="labels"/> and writes the files.</summary>
    public static void Report(IReadOnlyDictionary<string, IValue> outputs, string firstOutput, DirectoryInfo? outputDir, FileInfo? labels)
    {
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
        Console.Write(table);
        if (labels is not null)
        {
            var first = outputs[firstOutput] as Tensor
                ?? throw new NeuriteException("labels.output", $"output '{firstOutput}' is not a tensor, so it has no classes to compare with --labels");
            ClassificationReport.Print(first, EvaluationData.ReadLabels(labels.FullName));
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
    }

    private static IEnumerable<(string Name, string Path)> ParseInputs(string[] arguments, IReadOnlyList<ValueInfo> inputs)
    {
        foreach (var argument in arguments)
        {
            int equals = argument.IndexOf('=');
            if (equals > 0)
            {
                yield return (argument[..equals], argument[(equals + 1)..]);
            }
            else if (inputs.Count == 1)
            {
                yield return (inputs[0].Name, argument);
            }
            else
            {
                throw new NeuriteException("input.syntax", $"--input '{argument}': the model has {inputs.Count} inputs, so write NAME=FILE");
            }
        }
    }

    public static IEnumerable<KeyValuePair<string, string>> ParsePairs(string[] arguments, string option)
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
