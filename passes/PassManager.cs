using System.Diagnostics;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// Runs a pipeline of passes over a model: satisfies each pass's requirements first (running the
/// pass that establishes a missing property), verifies the graph after every changing pass when
/// asked, times each pass and counts what it allocated, and dumps the IR after each pass.
/// </summary>
public sealed class PassManager(PassRegistry registry, PassManagerOptions options)
{
    public PassManager() : this(PassRegistry.Default, new PassManagerOptions())
    {
    }

    public PassRegistry Registry => registry;
    public PassManagerOptions Options => options;

    /// <summary>Runs the passes named in <paramref name="pipeline"/> (a pipeline name or "a,b,c").</summary>
    public PipelineResult Run(Model model, string pipeline) => Run(model, registry.Resolve(pipeline));

    public PipelineResult Run(Model model, IReadOnlyList<Pass> passes)
    {
        var context = new PassContext(options.Registry, options.Limits);
        var runs = new List<PassRun>();
        using var dumps = options.DumpDirectory is null ? null : new DumpFolder(options.DumpDirectory, options.DumpFormat);
        dumps?.Write(0, "input", model);
        var established = GraphProperties.None;
        try
        {
            foreach (var pass in passes)
            {
                foreach (var provider in ProvidersFor(pass, established, model))
                {
                    model = RunOne(provider, model, context, runs, dumps, ref established, requiredBy: pass.Name);
                }
                model = RunOne(pass, model, context, runs, dumps, ref established, requiredBy: null);
            }
        }
        catch (NeuriteException e)
        {
            dumps?.Fail(e, new PipelineReport(runs, context.Diagnostics));
            throw;
        }
        var report = new PipelineReport(runs, context.Diagnostics);
        dumps?.Complete(report);
        return new PipelineResult(model, report);
    }

    private IEnumerable<Pass> ProvidersFor(Pass pass, GraphProperties established, Model model)
    {
        var missing = pass.Requires & ~established;
        if (missing.HasFlag(GraphProperties.StaticShapes) && FirstSymbolicInput(model) is ValueInfo symbolic)
        {
            throw new NeuriteException(Diagnostic.Error("pass.requires-static-shapes",
                $"pass '{pass.Name}' needs every input dimension known, but input '{symbolic.Name}' is {symbolic.Type}; bind the symbolic dimensions first"));
        }
        if (missing.HasFlag(GraphProperties.NoDeadCode))
        {
            yield return registry.Create(EliminateDeadCode.PassName);
        }
        if (missing.HasFlag(GraphProperties.ShapesInferred))
        {
            yield return registry.Create(InferShapes.PassName);
        }
    }

    private static ValueInfo? FirstSymbolicInput(Model model) => model.Graph.Inputs.FirstOrDefault(i =>
        i.Type is not TensorType t || !t.Shape.IsRankKnown || t.Shape.Dims.Any(d => !d.IsKnown));

    private Model RunOne(Pass pass, Model model, PassContext context, List<PassRun> runs, DumpFolder? dumps,
        ref GraphProperties established, string? requiredBy)
    {
        int before = model.Graph.Nodes.Length;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Model result;
        try
        {
            result = pass.Run(model, context);
        }
        catch (InvalidNodeException e)
        {
            throw new NeuriteException(Diagnostic.Error("pass.failed", $"pass '{pass.Name}' stopped: {e.Message}"), e);
        }
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        bool changed = !ReferenceEquals(result, model);
        if (changed)
        {
            established = (established & pass.Preserves) | pass.Establishes;
            if (options.VerifyEachPass)
            {
                Verify(pass, result);
            }
        }
        else
        {
            established |= pass.Establishes;
        }
        if (FirstSymbolicInput(result) is null)
        {
            established |= GraphProperties.StaticShapes;
        }
        var run = new PassRun(runs.Count + 1, pass.Name, clock.Elapsed, allocated, before, result.Graph.Nodes.Length, changed, requiredBy);
        runs.Add(run);
        dumps?.Write(run.Index, pass.Name, result);
        options.AfterEachPass?.Invoke(run, result);
        return result;
    }

    private void Verify(Pass pass, Model model)
    {
        var errors = GraphVerifier.Verify(model, options.Registry).Where(d => d.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            var diagnostics = new List<Diagnostic>
            {
                Diagnostic.Error("pass.invalid-result", $"pass '{pass.Name}' produced a graph the verifier rejects ({errors.Count} errors follow); this is a bug in the pass"),
            };
            diagnostics.AddRange(errors);
            throw new NeuriteException(diagnostics);
        }
    }
}

/// <summary>The optimised model and what each pass did.</summary>
public sealed record PipelineResult(Model Model, PipelineReport Report);
