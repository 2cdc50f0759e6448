using Antlr4.Runtime;
using Antlr4.Runtime.Misc;
using Neurite.Frontend.Dsl.Generated;
using Neurite.Ir;

namespace Neurite.Frontend.Dsl;

/// <summary>
/// Text to parse tree. Every lexical and syntax error becomes a diagnostic at its line and
/// column saying what was expected and what was found; ANTLR's recovery goes on after each one,
/// so one run reports them all.
/// </summary>
internal static class DslSyntax
{
    /// <summary>The parse tree, and every name the text writes (fresh names for rebound values must avoid them).</summary>
    public static (NeuriteParser.ProgramContext Tree, HashSet<string> Names) Parse(string text, string fileName, List<Diagnostic> diagnostics)
    {
        var listener = new ErrorListener(fileName, diagnostics);
        var lexer = new NeuriteLexer(new AntlrInputStream(text));
        lexer.RemoveErrorListeners();
        lexer.AddErrorListener(listener);
        var tokens = new CommonTokenStream(lexer);
        var parser = new NeuriteParser(tokens);
        parser.RemoveErrorListeners();
        parser.AddErrorListener(listener);
        var tree = parser.program();
        var names = tokens.GetTokens()
            .Where(t => t.Type is NeuriteParser.ID or NeuriteParser.QUOTED_ID || IsKeyword(t.Type))
            .Select(t => DslNames.Unquote(t.Text))
            .ToHashSet(StringComparer.Ordinal);
        return (tree, names);
    }

    /// <summary>"a name, '(' or '@'": the tokens a parser state accepts, in words a user knows.</summary>
    internal static string DescribeExpected(IntervalSet expected, IVocabulary vocabulary)
    {
        var types = expected.ToList();
        var words = new List<string>();
        if (types.Contains(NeuriteParser.ID))
        {
            words.Add("a name");
        }
        bool integer = types.Contains(NeuriteParser.INT);
        bool number = types.Contains(NeuriteParser.FLOAT);
        if (number)
        {
            words.Add("a number");
        }
        else if (integer)
        {
            words.Add("an integer");
        }
        if (types.Contains(NeuriteParser.STRING))
        {
            words.Add("a string");
        }
        foreach (int type in types)
        {
            bool covered = type is NeuriteParser.ID or NeuriteParser.QUOTED_ID or NeuriteParser.INT or NeuriteParser.FLOAT or NeuriteParser.STRING
                || (types.Contains(NeuriteParser.ID) && IsKeyword(type))
                || (number && type is NeuriteParser.INF or NeuriteParser.NAN or NeuriteParser.T__11);
            if (covered)
            {
                continue;
            }
            words.Add(type == TokenConstants.EOF ? "the end of the file" : vocabulary.GetDisplayName(type));
        }
        return words.Count switch
        {
            0 => "nothing more",
            1 => words[0],
            _ => string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1],
        };
    }

    private static bool IsKeyword(int type) => type is >= NeuriteParser.MODEL and <= NeuriteParser.NAN;

    internal static string DescribeToken(IToken token) => token.Type == TokenConstants.EOF ? "the end of the file" : $"'{token.Text}'";

    /// <summary>
    /// The name in <c>y = x</c> when the error comes right after it: an expression is an op call
    /// or a pipe, and "found '}'" would not say that the value alone is the problem.
    /// </summary>
    private static IToken? BareValue(Parser parser, IToken offending)
    {
        if (offending.TokenIndex < 2 || offending.Type is NeuriteParser.T__0 or NeuriteParser.PIPE)
        {
            return null;
        }
        var stream = (ITokenStream)parser.InputStream;
        var value = stream.Get(offending.TokenIndex - 1);
        var equals = stream.Get(offending.TokenIndex - 2);
        bool isName = value.Type is NeuriteParser.ID or NeuriteParser.QUOTED_ID || IsKeyword(value.Type);
        return isName && equals.Type == NeuriteParser.T__7 && parser.Context is NeuriteParser.ExpressionContext or NeuriteParser.AssignmentContext
            ? value : null;
    }

    /// <summary>
    /// Right after a ',' in an argument list: ANTLR reads the comma as a trailing one and asks
    /// only for ')', but any argument may follow it.
    /// </summary>
    private static bool AfterArgumentComma(Parser parser, IToken offending)
    {
        if (offending.TokenIndex < 1 || ((ITokenStream)parser.InputStream).Get(offending.TokenIndex - 1).Type != NeuriteParser.T__2)
        {
            return false;
        }
        for (var context = parser.Context; context is not null; context = context.Parent as ParserRuleContext)
        {
            if (context is NeuriteParser.ArgumentsContext or NeuriteParser.ArgumentContext or NeuriteParser.CallContext or NeuriteParser.StageContext)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// " (is a ')' missing? the call Add( at line 2 is still open)" when the error is on a later
    /// line than the '(' of a call around it: a forgotten ')' makes the next line read as more
    /// arguments, and the parser stumbles there, not where the ')' is missing.
    /// </summary>
    private static string OpenCallHint(Parser parser, IToken offending, IntervalSet expected)
    {
        if (expected.Contains(NeuriteParser.T__1))
        {
            return "";
        }
        for (var context = parser.Context; context is not null; context = context.Parent as ParserRuleContext)
        {
            if (context is NeuriteParser.CallContext or NeuriteParser.StageContext && context.ChildCount > 1
                && context.GetChild(1) is Antlr4.Runtime.Tree.ITerminalNode { Symbol: { Text: "(" } open } && open.Line < offending.Line
                && offending.Type != TokenConstants.EOF)
            {
                return $" (is a ')' missing? the call {context.GetChild(0).GetText()}( at line {open.Line} is still open)";
            }
        }
        return "";
    }

    private sealed class ErrorListener(string fileName, List<Diagnostic> diagnostics) : IAntlrErrorListener<int>, IAntlrErrorListener<IToken>
    {
        public void SyntaxError(TextWriter output, IRecognizer recognizer, int offendingSymbol, int line, int charPositionInLine,
            string msg, RecognitionException e)
        {
            var lexer = (Lexer)recognizer;
            var input = (ICharStream)lexer.InputStream;
            int start = lexer.TokenStartCharIndex;
            string first = start < input.Size ? input.GetText(Interval.Of(start, start)) : "";
            string message = first switch
            {
                "\"" => "a string is not closed: expected '\"' before the end of the line",
                "`" => "a quoted name is not closed: expected '`' before the end of the line",
                _ => $"unexpected character '{first}'",
            };
            diagnostics.Add(Diagnostic.Error("dsl.syntax", message, new SourceLocation(fileName, line, charPositionInLine + 1)));
        }

        public void SyntaxError(TextWriter output, IRecognizer recognizer, IToken offendingSymbol, int line, int charPositionInLine,
            string msg, RecognitionException e)
        {
            var parser = (Parser)recognizer;
            IntervalSet expected;
            try
            {
                expected = e?.GetExpectedTokens() ?? parser.GetExpectedTokens();
            }
            catch (ArgumentException)
            {
                expected = parser.GetExpectedTokens();
            }
            if (BareValue(parser, offendingSymbol) is { } value)
            {
                Add(Diagnostic.Error("dsl.syntax",
                    $"expected an op call after '=', found the value '{value.Text}'; copy a value with Identity({value.Text})",
                    new SourceLocation(fileName, value.Line, value.Column + 1)));
                return;
            }
            string wanted = AfterArgumentComma(parser, offendingSymbol)
                ? "an argument (a value, a constant or name=value) or ')'"
                : DescribeExpected(expected, parser.Vocabulary);
            string message = $"expected {wanted}, found {DescribeToken(offendingSymbol)}{OpenCallHint(parser, offendingSymbol, expected)}";
            Add(Diagnostic.Error("dsl.syntax", message, new SourceLocation(fileName, line, charPositionInLine + 1)));
        }

        /// <summary>Records a diagnostic unless recovery just reported the very same one.</summary>
        private void Add(Diagnostic diagnostic)
        {
            if (diagnostics.Count == 0 || diagnostics[^1] != diagnostic)
            {
                diagnostics.Add(diagnostic);
            }
        }
    }
}
