using System.Diagnostics;
using System.Globalization;

namespace Neurite.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Neurite.Bench -- quick</c>: a fast side-by-side of the
/// CPU target and ONNX Runtime that alternates the two in short rounds and keeps each one's best
/// round, which stays meaningful on a busy machine where BenchmarkDotNet's means drift.
/// </summary>
public static class QuickComparison
{
    public static void Run()
    {
        Console.WriteLine("model                          batch   ONNX Runtime   emitted C (call)   emitted C (neurite_run)   ratio");
        foreach (var model in new[] { "zoo/fmnist_lenet5.onnx", "zoo/fmnist_mlp.onnx", "hls4ml/three_layer_keras.onnx" })
        {
            foreach (int batch in new[] { 1, 64 })
            {
                using var bench = new BenchCase(model, batch);
                Compare(model, batch, bench);
            }
        }
        // The batch-1 MLP skips the weight rows of zero pixels (66 % of Fashion-MNIST image 0): its worst case.
        using var nonzero = new BenchCase("zoo/fmnist_mlp.onnx", 1);
        nonzero.MakeInputsNonzero();
        Compare("zoo/fmnist_mlp.onnx, no zeros", 1, nonzero);
    }

    private static void Compare(string model, int batch, BenchCase bench)
    {
        double ort = double.MaxValue, call = double.MaxValue, raw = double.MaxValue;
        int reps = batch == 1 ? 400 : 20;
        for (int round = 0; round < 40; round++)
        {
            ort = Math.Min(ort, Time(reps, () => bench.OnnxRuntime.Run(bench.Inputs)));
            call = Math.Min(call, Time(reps, () => bench.Native.Run(bench.Inputs)));
            raw = Math.Min(raw, Time(1, () => bench.Native.RunRepeatedly(bench.NativeInputs, bench.NativeOutputs, reps)) / reps);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model,-30} {batch,5} {ort,11:F1} µs {call,14:F1} µs {raw,20:F1} µs   {call / ort,6:F2}"));
    }

    private static double Time(int reps, Action action)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++)
        {
            action();
        }
        return watch.Elapsed.TotalMicroseconds / reps;
    }
}
