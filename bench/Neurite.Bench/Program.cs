using BenchmarkDotNet.Running;
using Neurite.Bench;

// dotnet run -c Release --project bench/Neurite.Bench -- --filter '*'     (BenchmarkDotNet suites)
// dotnet run -c Release --project bench/Neurite.Bench -- quick            (CPU target vs ONNX Runtime, best rounds)
// dotnet run -c Release --project bench/Neurite.Bench -- compile-time [runs] [--check]
if (args is ["quick"])
{
    QuickComparison.Run();
    return 0;
}
if (args.Length > 0 && args[0] == "compile-time")
{
    return CompileTime.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
