using Neurite.Ir;

namespace Neurite.Passes;

/// <summary>
/// One local rewrite: a pattern rooted at a node and what replaces it. <see cref="Rewrite"/> may
/// still decline (return false) after checks a pattern cannot express; it must then leave the
/// graph as it was.
/// </summary>
public abstract class RewriteRule
{
    public abstract string Name { get; }

    public abstract OpPattern Pattern { get; }

    public abstract bool Rewrite(Match match, GraphEditor graph);

    public override string ToString() => Name;
}
