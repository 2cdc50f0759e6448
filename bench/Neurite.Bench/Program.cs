using BenchmarkDotNet.Running;
using Neurite.Bench;

// dotnet run -c Release --project bench/Neurite.Bench -- --filter '*'     (BenchmarkDotNet)
// dotnet run -c Release --project bench/Neurite.Bench -- quick            (CPU target vs ONNX Runtime, best rounds)
if (args is ["quick"])
{
    QuickComparison.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
