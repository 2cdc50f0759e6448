namespace Neurite.Passes;

/// <summary>The standard optimisations and the order the default pipeline runs them in.</summary>
internal static class StandardPasses
{
    public static PassRegistry Register(PassRegistry registry)
    {
        registry = registry
            .With(() => new InferShapes())
            .With(() => new EliminateDeadCode())
            .With(() => new FoldConstants())
            .With(() => new RemoveIdentities());
        return registry
            .WithPipeline("default", "fold-constants", "remove-identities", "eliminate-dead-code", "infer-shapes");
    }
}
