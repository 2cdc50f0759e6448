namespace Neurite.Testing;

/// <summary>
/// The trait that marks a long run: a test that scores whole data sets for minutes. The default
/// suite (<c>scripts/test.sh</c>) filters these out, so they are not in it at all, rather than
/// passing without checking; <c>scripts/test.sh --full</c> runs them with everything else.
/// </summary>
public static class LongRun
{
    public const string Trait = "Category";
    public const string Full = "Full";
}
