using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// One IR-to-IR transformation. A pass states what it needs (<see cref="Requires"/>), what it
/// keeps true (<see cref="Preserves"/>) and what it makes true (<see cref="Establishes"/>); the
/// <see cref="PassManager"/> uses that to run the passes a pipeline depends on and to know what
/// still holds afterwards. A pass never changes what the model computes: the equivalence tests
/// run the interpreter before and after every pass on the same inputs.
/// </summary>
public abstract class Pass
{
    /// <summary>The name pipelines and <c>--passes</c> use: lower case, words joined by '-'.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>neurite optimize --help</c> and the timing table.</summary>
    public abstract string Description { get; }

    public virtual GraphProperties Requires => GraphProperties.None;

    /// <summary>Properties that hold after this pass when they held before it.</summary>
    public virtual GraphProperties Preserves => GraphProperties.None;

    /// <summary>Properties that hold after this pass whatever held before it.</summary>
    public virtual GraphProperties Establishes => GraphProperties.None;

    /// <summary>
    /// Transforms <paramref name="model"/>. Returns the same instance when nothing changed, so the
    /// manager can report it and skip re-verification.
    /// </summary>
    public abstract Model Run(Model model, PassContext context);

    public override string ToString() => Name;
}
