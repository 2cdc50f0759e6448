using System.Globalization;
using Neurite.Ir;
using Neurite.Passes;

namespace Neurite.Testing;

/// <summary>
/// The rule every pass is held to: run the reference interpreter on the model before and after
/// the pass, on the same inputs (reproducible random ones, plus real ones where the caller has
/// them), and fail when any output differs by more than the stated tolerance
/// (|after - before| ≤ tolerance · max(1, |before|), NaN equal to NaN, exact for integers).
/// The pass runs under a <see cref="PassManager"/> with the verifier after it, so an invalid
/// graph fails here too.
/// </summary>
public static class PassEquivalence
{
    public const double DefaultTolerance = 1e-5;

    /// <summary>Runs <paramref name="passes"/> on <paramref name="model"/>, checks equivalence, and returns the result for further assertions.</summary>
    public static CheckedPipeline AssertPreserves(Model model, IReadOnlyList<Pass> passes, EquivalenceOptions? options = null)
    {
        options ??= new EquivalenceOptions();
        var manager = new PassManager(PassRegistry.Default, new PassManagerOptions { VerifyEachPass = true });
        var result = manager.Run(model, passes);
        double largest = AssertEquivalent(model, result.Model, options);
        return new CheckedPipeline(result.Model, result.Report, largest);
    }

    public static CheckedPipeline AssertPreserves(Model model, Pass pass, EquivalenceOptions? options = null) =>
        AssertPreserves(model, [pass], options);

    public static CheckedPipeline AssertPreserves(Model model, string pipeline, EquivalenceOptions? options = null) =>
        AssertPreserves(model, PassRegistry.Default.Resolve(pipeline), options);

    /// <summary>Fails (with every differing output named) unless both models compute the same on every input set; returns the largest difference seen.</summary>
    public static double AssertEquivalent(Model before, Model after, EquivalenceOptions options)
    {
        var reference = new Interpreter(before);
        var optimised = new Interpreter(after);
        var problems = new List<string>();
        double largest = 0;
        foreach (var (label, inputs) in InputSets(before, options))
        {
            var expected = reference.Run(inputs);
            var actual = optimised.Run(inputs);
            foreach (var output in before.Graph.Outputs)
            {
                if (!actual.TryGetValue(output.Name, out var value))
                {
                    problems.Add($"{label}: output '{output.Name}' is missing after the pass");
                    continue;
                }
                if (TensorComparison.Compare(expected[output.Name], value, options.Tolerance, options.Tolerance) is string problem)
                {
                    problems.Add($"{label}: output '{output.Name}': {problem}");
                }
                if (expected[output.Name] is Tensor e && value is Tensor a && e.DataType == a.DataType && e.DataType.IsFloatingPoint()
                    && e.Shape.SequenceEqual(a.Shape))
                {
                    largest = Math.Max(largest, TensorComparison.MaxAbsDifference(e, a));
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new EquivalenceException(string.Create(CultureInfo.InvariantCulture,
                $"the pass changed what graph '{before.Graph.Name}' computes (tolerance {options.Tolerance:G3}):\n  {string.Join("\n  ", problems)}"));
        }
        return largest;
    }

    private static IEnumerable<(string Label, IReadOnlyDictionary<string, IValue> Inputs)> InputSets(Model model, EquivalenceOptions options)
    {
        foreach (var (label, inputs) in options.RealInputs)
        {
            yield return (label, inputs.ToDictionary(p => p.Key, p => (IValue)p.Value));
        }
        for (int seed = 0; seed < options.RandomInputSets; seed++)
        {
            yield return ($"random inputs (seed {seed})",
                model.Graph.Inputs.Where(i => !model.Graph.IsInitializer(i.Name))
                    .ToDictionary(i => i.Name, i => (IValue)RandomInputs.For(i, seed, options.SymbolicDimensions)));
        }
    }
}

/// <summary>What the passes made of the model, their report, and the largest output difference the check saw (floating-point outputs).</summary>
public sealed record CheckedPipeline(Model Model, PipelineReport Report, double LargestDifference);

/// <summary>How a pass is checked: how many random input sets, which real ones, the tolerance, and sizes for symbolic dimensions.</summary>
public sealed record EquivalenceOptions
{
    public int RandomInputSets { get; init; } = 2;
    public IReadOnlyList<(string Label, IReadOnlyDictionary<string, Tensor> Inputs)> RealInputs { get; init; } = [];
    public double Tolerance { get; init; } = PassEquivalence.DefaultTolerance;
    public IReadOnlyDictionary<string, int> SymbolicDimensions { get; init; } = new DefaultSize(2);

    /// <summary>Every symbolic dimension gets the same size unless named otherwise.</summary>
    private sealed class DefaultSize(int size) : IReadOnlyDictionary<string, int>
    {
        public int this[string key] => size;
        public IEnumerable<string> Keys => [];
        public IEnumerable<int> Values => [];
        public int Count => 0;
        public bool ContainsKey(string key) => true;
        public bool TryGetValue(string key, out int value)
        {
            value = size;
            return true;
        }
        public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, int>>().GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class EquivalenceException(string message) : Exception(message);
