using System.Collections.Immutable;
using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// The passes known by name and the named pipelines made of them. <see cref="Default"/> holds the
/// standard optimisations; embedding programs and later layers (quantisation, spiking) add their
/// own with <see cref="With"/>.
/// </summary>
public sealed class PassRegistry
{
    private readonly ImmutableSortedDictionary<string, (string Description, Func<Pass> Create)> passes;
    private readonly ImmutableSortedDictionary<string, ImmutableArray<string>> pipelines;

    private PassRegistry(ImmutableSortedDictionary<string, (string, Func<Pass>)> passes, ImmutableSortedDictionary<string, ImmutableArray<string>> pipelines)
    {
        this.passes = passes;
        this.pipelines = pipelines;
    }

    public static PassRegistry Empty { get; } = new(
        ImmutableSortedDictionary.Create<string, (string, Func<Pass>)>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, ImmutableArray<string>>(StringComparer.Ordinal));

    /// <summary>The standard optimisations and the pipelines <c>default</c> and <c>onnx</c>.</summary>
    public static PassRegistry Default { get; } = StandardPasses.Register(Empty);

    public IEnumerable<string> PassNames => passes.Keys;
    public IEnumerable<string> PipelineNames => pipelines.Keys;

    public string Describe(string passName) => passes[passName].Description;

    public IReadOnlyList<string> PipelineSteps(string pipeline) => pipelines[pipeline];

    /// <summary>This registry plus a pass (made fresh for every run, so passes may keep state while they run).</summary>
    public PassRegistry With(Func<Pass> create)
    {
        var sample = create();
        if (passes.ContainsKey(sample.Name) || pipelines.ContainsKey(sample.Name))
        {
            throw new InvalidOperationException($"pass name '{sample.Name}' is already taken");
        }
        return new PassRegistry(passes.Add(sample.Name, (sample.Description, create)), pipelines);
    }

    /// <summary>This registry plus a named pipeline of passes it already knows.</summary>
    public PassRegistry WithPipeline(string name, params string[] steps)
    {
        foreach (var step in steps.Where(s => !passes.ContainsKey(s)))
        {
            throw new InvalidOperationException($"pipeline '{name}' names unknown pass '{step}'");
        }
        if (passes.ContainsKey(name))
        {
            throw new InvalidOperationException($"pipeline name '{name}' is already a pass");
        }
        return new PassRegistry(passes, pipelines.SetItem(name, [.. steps]));
    }

    public Pass Create(string passName) => passes.TryGetValue(passName, out var entry)
        ? entry.Create()
        : throw new NeuriteException(UnknownPass(passName));

    /// <summary>
    /// The passes of a pipeline name ("default"), or of a comma-separated list of pass and pipeline
    /// names ("fold-constants,default"). Every unknown name is reported, with what is known.
    /// </summary>
    public IReadOnlyList<Pass> Resolve(string spec)
    {
        var names = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new NeuriteException(Diagnostic.Error("pass.empty-pipeline", "no passes named: give a pipeline name or a comma-separated list of passes"));
        }
        var unknown = names.Where(n => !passes.ContainsKey(n) && !pipelines.ContainsKey(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new NeuriteException(unknown.Select(UnknownPass).ToList());
        }
        return names.SelectMany(n => pipelines.TryGetValue(n, out var steps) ? steps : [n]).Select(Create).ToList();
    }

    private Diagnostic UnknownPass(string name) => Diagnostic.Error("pass.unknown",
        $"unknown pass '{name}'; the passes are {string.Join(", ", passes.Keys)} and the pipelines {string.Join(", ", pipelines.Keys)}");
}
