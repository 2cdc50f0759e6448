using System.Diagnostics;
using System.Globalization;
using Neurite.Frontend.Onnx;
using Neurite.Ir;
using Neurite.Passes;

namespace Neurite.Bench;

/// <summary>
/// Compile time from an ONNX file to optimised IR for a ResNet-50-size model: import (parse,
/// convert, verify) and every pass of the default pipeline, with time, bytes allocated and the
/// process's peak working set after each step. Runs the whole thing <c>runs</c> times in one
/// process and reports the first (cold: JIT included) and the fastest (warm) run.
/// <code>
///   dotnet run -c Release --project bench/Neurite.Bench -- compile-time [runs] [--check]
/// </code>
/// --check also runs the interpreter on the model before and after the pipeline on one random
/// image and prints the largest difference.
/// </summary>
public static class CompileTime
{
    public static int Run(string[] args)
    {
        int runs = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out int n) ? n : 3;
        bool check = args.Contains("--check");
        string file = Path.Combine(Path.GetTempPath(), $"neurite-resnet50-{Environment.ProcessId}.onnx");
        try
        {
            var built = ResNet50Graph.Build();
            OnnxExporter.Save(built, file);
            long parameters = built.Graph.Initializers.Sum(i => (long)i.Value.Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ResNet-50: {built.Graph.Nodes.Length} nodes ({built.Graph.Nodes.Count(x => x.OpType == "Conv")} Conv, {built.Graph.Nodes.Count(x => x.OpType == "BatchNormalization")} BatchNormalization), {parameters / 1e6:F1} M parameters, {new FileInfo(file).Length / 1048576.0:F0} MB ONNX"));
            Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");
            Measurement? best = null;
            Model? optimised = null;
            for (int run = 1; run <= runs; run++)
            {
                var (measurement, model) = Once(file);
                optimised = model;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: {measurement.Total.TotalMilliseconds:F0} ms"));
                if (run == 1)
                {
                    Print("first run (cold, JIT included)", measurement);
                }
                if (best is null || measurement.Total < best.Total)
                {
                    best = measurement;
                }
            }
            Print("fastest run (warm)", best!);
            if (check)
            {
                var image = Neurite.RandomInputs.For(built.Graph.Inputs[0], seed: 1);
                var before = (Tensor)new Interpreter(OnnxImporter.Load(file)).Run(("image", (IValue)image))["logits"];
                var after = (Tensor)new Interpreter(optimised!).Run(("image", (IValue)image))["logits"];
                double largest = 0, scale = 0;
                for (int i = 0; i < before.Length; i++)
                {
                    largest = Math.Max(largest, Math.Abs(before.GetDouble(i) - after.GetDouble(i)));
                    scale = Math.Max(scale, Math.Abs(before.GetDouble(i)));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check: max |after - before| = {largest:G3} on logits up to {scale:G3}"));
            }
            return 0;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Step(string Name, TimeSpan Elapsed, long AllocatedBytes, long PeakWorkingSet, int Nodes);

    private sealed record Measurement(IReadOnlyList<Step> Steps)
    {
        public TimeSpan Total => TimeSpan.FromTicks(Steps.Sum(s => s.Elapsed.Ticks));
    }

    private static (Measurement, Model) Once(string file)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var steps = new List<Step>();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var model = OnnxImporter.Load(file);
        clock.Stop();
        steps.Add(new Step("import (parse, convert, verify)", clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - allocated, PeakWorkingSet(), model.Graph.Nodes.Length));
        var manager = new PassManager(PassRegistry.Default, new PassManagerOptions
        {
            AfterEachPass = (run, result) => steps.Add(new Step(run.Name, run.Elapsed, run.AllocatedBytes, PeakWorkingSet(), result.Graph.Nodes.Length)),
        });
        var optimised = manager.Run(model, "default").Model;
        return (new Measurement(steps), optimised);
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static void Print(string title, Measurement measurement)
    {
        Console.WriteLine();
        Console.WriteLine($"{title}:");
        Console.WriteLine("| step | time ms | allocated MB | peak working set MB | nodes after |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var step in measurement.Steps)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {step.Name} | {step.Elapsed.TotalMilliseconds:F1} | {step.AllocatedBytes / 1048576.0:F1} | {step.PeakWorkingSet / 1048576.0:F0} | {step.Nodes} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| **total** | **{measurement.Total.TotalMilliseconds:F0}** | {measurement.Steps.Sum(s => s.AllocatedBytes) / 1048576.0:F0} | {measurement.Steps.Max(s => s.PeakWorkingSet) / 1048576.0:F0} | |"));
    }
}
