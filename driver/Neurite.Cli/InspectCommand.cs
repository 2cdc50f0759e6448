using System.CommandLine;
using System.Text.Json;
using Neurite.Ir;

namespace Neurite.Cli;

/// <summary><c>neurite inspect MODEL [--json]</c>: interface, opsets, op histogram, parameters, MACs per layer.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("MODEL") { Description = "The model to inspect (.onnx or .nrt)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON for machines." };
        var command = new Command("inspect", "Show a model's inputs, outputs, op histogram, parameter count and MACs per layer.") { model, json };
        command.SetAction(parsed => CommandGuard.Run(() => Inspect(parsed.GetValue(model)!, parsed.GetValue(json))));
        return command;
    }

    private static int Inspect(FileInfo file, bool json)
    {
        var imported = ModelFiles.Import(file.FullName);
        if (imported.Model is null)
        {
            throw new NeuriteException(imported.Diagnostics);
        }
        var summary = ModelSummary.Of(imported.Model);
        var problems = imported.Diagnostics.Where(d => d.Severity != Severity.Info).ToList();
        if (json)
        {
            var document = new
            {
                file = file.FullName,
                summary,
                diagnostics = problems.Select(d => new { severity = d.Severity.ToString().ToLowerInvariant(), code = d.Code, message = d.Message, location = d.Location?.ToString() }),
            };
            Console.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return CommandGuard.Success;
        }
        Print(file, summary);
        if (problems.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("problems (the model cannot run until they are solved):");
            foreach (var problem in problems)
            {
                Console.WriteLine($"  {problem}");
            }
        }
        return CommandGuard.Success;
    }

    private static void Print(FileInfo file, ModelSummary s)
    {
        static string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine($"model       {file.Name}   graph '{s.GraphName}'{(s.Producer.Length > 0 ? $", made by {s.Producer}" : "")}, IR version {s.IrVersion}");
        Console.WriteLine($"opsets      {string.Join(", ", s.Opsets.Select(p => $"{p.Key} {p.Value}"))}");
        foreach (var input in s.Inputs)
        {
            Console.WriteLine($"input       {input.Name}: {input.Type}");
        }
        foreach (var output in s.Outputs)
        {
            Console.WriteLine($"output      {output.Name}: {output.Type}");
        }
        Console.WriteLine($"nodes       {N(s.NodeCount)}");
        Console.WriteLine($"parameters  {N(s.ParameterCount)} ({N(s.ParameterBytes)} bytes of initializers)");
        Console.WriteLine($"MACs        {N(s.TotalMacs)} per sample");
        Console.WriteLine($"ops         {string.Join(", ", s.OpHistogram.Select(p => $"{p.Key} x{p.Value}"))}");
        Console.WriteLine();
        var table = new TextTable("layer", "op", "output", "params", "MACs");
        foreach (var layer in s.Layers)
        {
            table.Add(layer.Node, layer.Op, layer.Output, layer.Parameters, layer.Macs);
        }
        Console.Write(table);
    }
}
