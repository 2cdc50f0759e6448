namespace Neurite.Ir.Kernels.Ml;

/// <summary>
/// The trees of TreeEnsemble (ai.onnx.ml opset 5) in flat arrays, as the attributes give them:
/// each interior node compares one feature with a split value (or a set of values) and leads to
/// another node or to a leaf on either side; each leaf adds its weight to one target.
/// </summary>
public sealed class TreeForest
{
    public enum Rule : byte
    {
        LessOrEqual = 0,
        Less = 1,
        GreaterOrEqual = 2,
        Greater = 3,
        Equal = 4,
        NotEqual = 5,
        Member = 6,
    }

    public required long[] Roots { get; init; }
    public required long[] Features { get; init; }
    public required Rule[] Rules { get; init; }
    public required double[] Splits { get; init; }
    public required long[] TrueIds { get; init; }
    public required long[] FalseIds { get; init; }
    public required bool[] TrueIsLeaf { get; init; }
    public required bool[] FalseIsLeaf { get; init; }
    public required bool[] MissingGoesTrue { get; init; }
    public required HashSet<double>?[] Members { get; init; }
    public required long[] LeafTargets { get; init; }
    public required double[] LeafWeights { get; init; }

    /// <summary>Splits the NaN-delimited membership lists among the set-membership nodes, in node order.</summary>
    public static HashSet<double>?[] MemberSets(Rule[] rules, double[] membership)
    {
        var sets = new HashSet<double>?[rules.Length];
        int next = 0;
        for (int i = 0; i < rules.Length; i++)
        {
            if (rules[i] != Rule.Member)
            {
                continue;
            }
            var set = new HashSet<double>();
            while (next < membership.Length && !double.IsNaN(membership[next]))
            {
                set.Add(membership[next++]);
            }
            if (next >= membership.Length)
            {
                throw new InvalidNodeException("membership_values must list one NaN-terminated set for every set-membership node");
            }
            next++;
            sets[i] = set;
        }
        return sets;
    }

    /// <summary>The leaf that tree <paramref name="tree"/> reaches for <paramref name="features"/>.</summary>
    public int LeafOf(int tree, ReadOnlySpan<double> features)
    {
        long node = Roots[tree];
        if (IsSingleLeaf(node))
        {
            return (int)node;
        }
        for (int depth = 0; depth <= Rules.Length; depth++)
        {
            bool branch = Test((int)node, features[(int)Features[node]]);
            long next = branch ? TrueIds[node] : FalseIds[node];
            if (branch ? TrueIsLeaf[node] : FalseIsLeaf[node])
            {
                return (int)next;
            }
            node = next;
        }
        throw new InvalidNodeException($"tree {tree} has a cycle: its walk did not reach a leaf");
    }

    /// <summary>
    /// A tree that is a single leaf is written as a root whose both branches are the same leaf;
    /// the reference then reads the leaf at the root's own index, and so does this.
    /// </summary>
    private bool IsSingleLeaf(long root) => TrueIsLeaf[root] && FalseIsLeaf[root] && TrueIds[root] == FalseIds[root];

    private bool Test(int node, double x)
    {
        if (double.IsNaN(x) && MissingGoesTrue[node])
        {
            return true;
        }
        double split = Splits[node];
        return Rules[node] switch
        {
            Rule.LessOrEqual => x <= split,
            Rule.Less => x < split,
            Rule.GreaterOrEqual => x >= split,
            Rule.Greater => x > split,
            Rule.Equal => x == split,
            Rule.NotEqual => x != split,
            _ => Members[node]!.Contains(x),
        };
    }

    /// <summary>Checks that every id points inside its array, so evaluation cannot read out of bounds.</summary>
    public void Validate(int featureCount)
    {
        int nodes = Rules.Length;
        if (new[] { Features.Length, Splits.Length, TrueIds.Length, FalseIds.Length, TrueIsLeaf.Length, FalseIsLeaf.Length, MissingGoesTrue.Length }.Any(n => n != nodes))
        {
            throw new InvalidNodeException($"the nodes_* attributes of TreeEnsemble must all have {nodes} entries");
        }
        if (LeafTargets.Length != LeafWeights.Length)
        {
            throw new InvalidNodeException($"leaf_targetids has {LeafTargets.Length} entries but leaf_weights {LeafWeights.Length}");
        }
        for (int i = 0; i < nodes; i++)
        {
            if (Features[i] < 0 || Features[i] >= featureCount)
            {
                throw new InvalidNodeException($"node {i} tests feature {Features[i]}, but the input has {featureCount} features");
            }
            CheckId(TrueIds[i], TrueIsLeaf[i], i);
            CheckId(FalseIds[i], FalseIsLeaf[i], i);
        }
        foreach (long root in Roots)
        {
            if (root < 0 || root >= nodes)
            {
                throw new InvalidNodeException($"tree root {root} is not one of the {nodes} nodes");
            }
            if (IsSingleLeaf(root) && root >= LeafWeights.Length)
            {
                throw new InvalidNodeException($"tree root {root} is a single leaf, read as leaf {root}, which does not exist ({LeafWeights.Length} leaves)");
            }
        }
    }

    private void CheckId(long id, bool leaf, int node)
    {
        int limit = leaf ? LeafWeights.Length : Rules.Length;
        if (id < 0 || id >= limit)
        {
            throw new InvalidNodeException($"node {node} leads to {(leaf ? "leaf" : "node")} {id}, which does not exist ({limit} {(leaf ? "leaves" : "nodes")})");
        }
    }
}
