using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Neurite.Bench;

/// <summary>
/// One forward pass, single-threaded, at batch 1 and 64: the C the CPU target emits (compiled with
/// its default "cc -O3 -march=native", called through the simulator) against ONNX Runtime (the
/// baseline, one intra-op thread). Both calls include the same per-call work: tensors in,
/// tensors out. Goal: ratio at most 0.5 at batch 1 and at most 1 at batch 64.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class CpuTargetVsOnnxRuntime
{
    private BenchCase bench = null!;

    [Params("zoo/fmnist_lenet5.onnx", "zoo/fmnist_mlp.onnx", "hls4ml/three_layer_keras.onnx")]
    public string Model { get; set; } = "";

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup() => bench = new BenchCase(Model, Batch);

    [GlobalCleanup]
    public void Cleanup() => bench.Dispose();

    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public object OnnxRuntime() => bench.OnnxRuntime.Run(bench.Inputs);

    [Benchmark(Description = "Neurite CPU target (emitted C)")]
    public object EmittedC() => bench.Native.Run(bench.Inputs);
}
