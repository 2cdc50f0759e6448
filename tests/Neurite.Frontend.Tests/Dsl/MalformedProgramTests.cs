using Neurite.Frontend.Dsl;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>
/// Malformed programs and the exact diagnostics a user sees for each: file:line:column, what was
/// expected, what was found. Where a program holds several errors, all are listed. The folder
/// beside each program holds w2.npy (f32[2]) and its parent another, for the path cases.
/// </summary>
public sealed class MalformedProgramTests : IDisposable
{
    private readonly TemporaryFolder root = new();

    public MalformedProgramTests()
    {
        Directory.CreateDirectory(root.File("model"));
        Npy.Write(Tensor.Create([1f, 2f], 2), root.File("model/w2.npy"));
        Npy.Write(Tensor.Create([1f, 2f], 2), root.File("w2.npy"));
    }

    public void Dispose() => root.Dispose();

    public static TheoryData<string, string, string[]> Cases()
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var (name, program, expected) in Table)
        {
            data.Add(name, program, expected);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsExactlyTheseDiagnostics(string name, string program, string[] expected)
    {
        var result = DslReader.Parse(program.ReplaceLineEndings("\n"), "bad.nrt", root.File("model"));
        Assert.True(result.HasErrors, $"{name}: the program was accepted");
        Assert.Equal(expected, result.Diagnostics.Select(d => d.ToString()).ToArray());
    }

    [Fact]
    public void TheTableCoversAtLeastThirtyPrograms() => Assert.True(Table.Length >= 30, $"{Table.Length} cases");

    private static (string Name, string Program, string[] Expected) Case(string name, string program, params string[] expected) =>
        (name, program, expected);

    private static readonly (string Name, string Program, string[] Expected)[] Table =
    [
        Case("unclosed-call", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Relu(x
            }
            """,
                "bad.nrt:3:1: error: expected ')', found '}' [dsl.syntax]"),
        Case("stray-character", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Relu(x) $
            }
            """,
                "bad.nrt:2:15: error: unexpected character '$' [dsl.syntax]"),
        Case("unclosed-string", """
            model m(x: f32[2]) -> (y: f32[2]) {
              params "w.npz
              y = Relu(x)
            }
            """,
                "bad.nrt:2:10: error: a string is not closed: expected '\"' before the end of the line [dsl.syntax]",
                "bad.nrt:3:3: error: expected a name, '(' or '@', found 'y' [dsl.syntax]"),
        Case("unclosed-quoted-name", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Relu(`x)
            }
            """,
                "bad.nrt:2:12: error: a quoted name is not closed: expected '`' before the end of the line [dsl.syntax]",
                "bad.nrt:3:1: error: expected a name, a number, a string, ')' or '[', found '}' [dsl.syntax]"),
        Case("missing-arrow", """
            model m(x: f32[2]) (y: f32[2]) {
              y = Relu(x)
            }
            """,
                "bad.nrt:1:20: error: expected '->', found '(' [dsl.syntax]"),
        Case("misspelt-model-keyword", """
            modl m(x: f32[2]) -> (y: f32[2]) {
              y = Relu(x)
            }
            """,
                "bad.nrt:1:1: error: expected 'model', found 'modl' [dsl.syntax]",
                "bad.nrt:1:6: error: expected '(', found 'm' [dsl.syntax]"),
        Case("missing-equals", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y Relu(x)
            }
            """,
                "bad.nrt:2:5: error: expected '=', found 'Relu' [dsl.syntax]"),
        Case("empty-file", "\n",
                "bad.nrt:2:1: error: expected 'model', found the end of the file [dsl.syntax]"),
        Case("text-after-model", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Relu(x)
            }
            extra
            """,
                "bad.nrt:4:1: error: expected the end of the file, found 'extra' [dsl.syntax]"),
        Case("unclosed-shape", """
            model m(x: f32[2) -> (y: f32[2]) {
              y = Relu(x)
            }
            """,
                "bad.nrt:1:17: error: expected ',' or ']', found ')' [dsl.syntax]"),
        Case("unknown-op-with-suggestion", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Rleu(x)
            }
            """,
                "bad.nrt:2:7: error: unknown op 'Rleu': expected an ai.onnx op or a layer helper (did you mean 'Relu'?) [dsl.op]"),
        Case("unknown-helper", """
            model m(x: f32[N, 1, 4, 4, 4]) -> (y: f32[2]) {
              y = conv3d(x)
            }
            """,
                "bad.nrt:2:7: error: unknown op 'conv3d': expected an ai.onnx op or a layer helper (did you mean 'conv2d'?) [dsl.op]"),
        Case("unknown-domain", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = acme.Frobnicate(x)
            }
            """,
                "bad.nrt:2:7: node 'y' (acme.Frobnicate): error: op 'Frobnicate' is in domain 'acme' (opset 1), which Neurite does not support [op.unknown-domain]"),
        Case("unknown-op-in-known-domain", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = neurite.Frobnicate(x)
            }
            """,
                "bad.nrt:2:7: error: unknown op 'Frobnicate' in domain 'neurite' [dsl.op]"),
        Case("unknown-attribute", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Softmax(x, axes=0)
            }
            """,
                "bad.nrt:2:18: error: Softmax has no attribute 'axes'; it takes axis (did you mean 'axis'?) [dsl.attribute]"),
        Case("attribute-of-wrong-kind", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Softmax(x, axis="last")
            }
            """,
                "bad.nrt:2:18: error: attribute 'axis' of Softmax must be an integer, found a string [dsl.attribute]"),
        Case("attribute-given-twice", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Softmax(x, axis=0, axis=0)
            }
            """,
                "bad.nrt:2:26: error: attribute 'axis' of Softmax is given twice [dsl.attribute]"),
        Case("list-of-mixed-kinds", """
            model m(x: f32[1, 1, 4, 4]) -> (y: f32[1, 1, 2, 2]) {
              y = MaxPool(x, kernel_shape=[2, "2"])
            }
            """,
                "bad.nrt:2:31: error: attribute 'kernel_shape' mixes ints and strings in one list [dsl.attribute]"),
        Case("integer-constant-for-a-float-input", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Add(x, 1)
            }
            """,
                "bad.nrt:2:7: node 'y' (Add): error: inputs have different element types: f32 and i64 [type.invalid-node]"),
        Case("type-as-op-input", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Add(x, type(f32[2]))
            }
            """,
                "bad.nrt:2:14: error: input 2 of Add must be a value or a constant, found a type [dsl.argument]"),
        Case("undefined-name", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Add(x, bias)
            }
            """,
                "bad.nrt:2:14: error: 'bias' is not defined: no input, parameter or earlier assignment has that name [dsl.undefined]"),
        Case("output-never-assigned", """
            model m(x: f32[2]) -> (y: f32[2]) {
              z = Relu(x)
            }
            """,
                "bad.nrt:1:24: error: output 'y' is never assigned in model 'm' [dsl.output]"),
        Case("unknown-element-type", """
            model m(x: f33[2]) -> (y: f32[2]) {
              y = Relu(x)
            }
            """,
                "bad.nrt:1:12: error: in type 'f33[2]': expected an element type (f32, i8, qi8<...>, fixed<W,I>, ...), found 'f33' [dsl.type]"),
        Case("bad-quantisation-parameter", """
            model m(x: qi8<scale=0.1, zq=0>[2]) -> (y: f32[2]) {
              y = DequantizeLinear(x)
            }
            """,
                "bad.nrt:1:27: error: in type 'qi8<scale=0.1, zq=0>[2]': expected axis, scale or zp in a quantised type, found 'zq' [dsl.type]"),
        Case("parameter-with-symbolic-shape", """
            model m(x: f32[N, 2]) -> (y: f32[N, 2]) {
              param w: f32[N, 2] = zeros
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:12: error: parameter 'w' needs a tensor type with known sizes, such as f32[10, 20]; found f32[N, 2] [dsl.type]"),
        Case("parameter-value-count", """
            model m(x: f32[3]) -> (y: f32[3]) {
              param w: f32[3] = [1.0, 2.0]
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:21: error: parameter 'w' of type f32[3] needs 3 values, found 2 [dsl.value]"),
        Case("integer-out-of-range", """
            model m(x: i8[2]) -> (y: i8[2]) {
              param w: i8[2] = [1, 300]
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:24: error: expected an integer from -128 to 127 for i8, found 300 [dsl.value]"),
        Case("string-where-a-number-belongs", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = [1.0, "two"]
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:27: error: expected a number, found \"two\" [dsl.value]"),
        Case("unknown-generator", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = twos
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:21: error: expected zeros, ones, fill(v), random(seed=S), normal(seed=S), file(\"...\"), raw(\"...\", offset=, length=) or [values], found 'twos' [dsl.value]"),
        Case("random-without-seed", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = random(low=0, high=1)
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:21: error: random needs seed=INTEGER [dsl.argument]"),
        Case("missing-weight-file", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = file("nope.npy")
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:26: error: weight file 'nope.npy' does not exist in the model's folder [dsl.file]"),
        Case("weight-path-leaves-folder", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = file("../w2.npy")
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:26: error: weight file '../w2.npy' is refused: the path leaves the model's folder [dsl.path]"),
        Case("absolute-weight-path", """
            model m(x: f32[2]) -> (y: f32[2]) {
              params "/etc/weights.npz"
              y = Relu(x)
            }
            """,
                "bad.nrt:2:10: error: weight file '/etc/weights.npz' is refused: absolute paths are not allowed; the location must be relative to the model's folder [dsl.path]"),
        Case("params-file-not-an-archive", """
            model m(x: f32[2]) -> (y: f32[2]) {
              params "w2.npy"
              y = Relu(x)
            }
            """,
                "bad.nrt:2:10: error: 'w2.npy' is not a NumPy archive: params files are .npz (a single .npy is read with param NAME: TYPE = file(\"w2.npy\")) [dsl.file]"),
        Case("parameter-without-value", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2]
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:9: error: parameter 'w' has no value: there is no params file; give one with = zeros, ones, fill(v), random(seed=S), [values], file(...) or raw(...) [dsl.value]"),
        Case("array-of-wrong-shape", """
            model m(x: f32[3]) -> (y: f32[3]) {
              param w: f32[3] = file("w2.npy")
              y = Add(x, w)
            }
            """,
                "bad.nrt:2:26: error: the array for parameter 'w' does not fit its type f32[3]: it holds shape [2], the declaration says [3] [dsl.value]"),
        Case("helper-value-count", """
            model m(x: f32[1, 1, 4, 4]) -> (y: f32[1, 1, 4, 4]) {
              y = conv2d(x)
            }
            """,
                "bad.nrt:2:7: error: conv2d takes 2 or 3 values, found 1; usage: conv2d(x, w, b, pads=0, strides=1, dilations=1, group=1) [dsl.argument]"),
        Case("helper-setting-misspelt", """
            model m(x: f32[1, 1, 4, 4]) -> (y: f32[1, 1, 2, 2]) {
              y = x |> maxpool(2, stride=2)
            }
            """,
                "bad.nrt:2:23: error: maxpool has no setting 'stride'; it takes kernel, strides, pads and ceil_mode (did you mean 'strides'?) [dsl.attribute]"),
        Case("pool-without-kernel", """
            model m(x: f32[1, 1, 4, 4]) -> (y: f32[1, 1, 2, 2]) {
              y = x |> avgpool
            }
            """,
                "bad.nrt:2:12: error: avgpool needs a kernel size: avgpool(x, kernel, strides=kernel, pads=0) [dsl.argument]"),
        Case("opset-inside-subgraph", """
            model m(c: bool[], x: f32[2]) -> (y: f32[2]) {
              y = If(c, then_branch=graph () -> (t: f32[2]) {
                opset ai.onnx 17
                t = Relu(x)
              }, else_branch=graph () -> (e: f32[2]) {
                e = Neg(x)
              })
            }
            """,
                "bad.nrt:3:5: error: 'opset' belongs to the model's body, not to graph 'then_branch' [dsl.statement]"),
        Case("opset-imported-twice", """
            model m(x: f32[2]) -> (y: f32[2]) {
              opset ai.onnx 17
              opset ai.onnx 13
              y = Relu(x)
            }
            """,
                "bad.nrt:3:3: error: domain 'ai.onnx' is imported twice (first at line 2) [dsl.opset]"),
        Case("shapes-do-not-chain", """
            model m(x: f32[N, 4]) -> (y: f32[N, 3]) {
              param w: f32[5, 3] = zeros
              y = MatMul(x, w)
            }
            """,
                "bad.nrt:3:7: node 'y' (MatMul): error: MatMul operands do not chain: [N, 4] has 4 columns, [5, 3] has 5 rows [type.invalid-node]"),
        Case("required-attribute-missing", """
            model m(x: f32[2]) -> (y: i64[2]) {
              y = Cast(x)
            }
            """,
                "bad.nrt:2:7: node 'y' (Cast): error: Cast requires attribute 'to' (an int) [op.missing-attribute]"),
        Case("parameter-defined-twice", """
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = zeros
              param w: f32[2] = ones
              y = Add(x, w)
            }
            """,
                "bad.nrt:3:9: error: 'w' is already defined in model 'm' [dsl.redefined]"),
        Case("assignment-without-call", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = x
            }
            """,
                "bad.nrt:2:7: error: expected an op call after '=', found the value 'x'; copy a value with Identity(x) [dsl.syntax]"),
        Case("unknown-metadata-field", """
            model m(x: f32[2]) -> (y: f32[2]) {
              meta author = "me"
              y = Relu(x)
            }
            """,
                "bad.nrt:2:8: error: unknown metadata field 'author': expected ir_version, producer_name, producer_version, domain, model_version, doc or a quoted property key [dsl.meta]"),
        Case("input-declared-twice", """
            model m(x: f32[2], x: f32[2]) -> (y: f32[2]) {
              y = Relu(x)
            }
            """,
                "bad.nrt:1:20: error: input 'x' is declared twice [dsl.redefined]"),
        Case("several-errors-all-reported", """
            model m(x: f32[N, 4]) -> (y: f32[N, 3]) {
              param w: f32[3, 4] = random(seed=1)
              h = x |> dense(w, b) |> rleu
              y = Softmax(h, axes=1)
            }
            """,
                "bad.nrt:3:21: error: 'b' is not defined: no input, parameter or earlier assignment has that name [dsl.undefined]",
                "bad.nrt:3:27: error: unknown op 'rleu': expected an ai.onnx op or a layer helper (did you mean 'Relu'?) [dsl.op]",
                "bad.nrt:4:18: error: Softmax has no attribute 'axes'; it takes axis (did you mean 'axis'?) [dsl.attribute]"),
        Case("several-syntax-errors-all-reported", """
            model m(x: f32[2]) -> (y: f32[2]) {
              h = Relu(x,, )
              y = Neg(h) )
            }
            """,
                "bad.nrt:2:14: error: expected an argument (a value, a constant or name=value) or ')', found ',' [dsl.syntax]",
                "bad.nrt:3:14: error: expected a name, '(', '}' or '@', found ')' [dsl.syntax]"),
        Case("output-type-differs-from-computed", """
            model m(x: f32[N, 4]) -> (y: f32[N, 3]) {
              param w: f32[4, 5] = zeros
              y = MatMul(x, w)
            }
            """,
                "bad.nrt:3:7: node 'y' (MatMul): error: value 'y' is declared as f32[N, 3] but the op computes f32[N, 5] [type.mismatch]"),
        Case("annotation-differs-from-computed", """
            model m(x: f32[N, 4]) -> (y: f32[N, 3]) {
              param w: f32[4, 3] = zeros
              h: i64[N, 3] = MatMul(x, w)
              y = Identity(h)
            }
            """,
                "bad.nrt:3:18: node 'h' (MatMul): error: value 'h' is declared as i64[N, 3] but the op computes f32[N, 3] [type.mismatch]",
                "bad.nrt:4:7: node 'y' (Identity): error: value 'y' is declared as f32[N, 3] but the op computes i64[N, 3] [type.mismatch]"),
        Case("call-left-open-before-the-next-line", """
            model m(x: f32[2]) -> (y: f32[2]) {
              h = Add(x, x,
              y = Relu(h)
            }
            """,
                "bad.nrt:3:11: error: expected '[', found '(' (is a ')' missing? the call Add( at line 2 is still open) [dsl.syntax]",
                "bad.nrt:4:1: error: expected '=', found '}' [dsl.syntax]"),
        Case("errors-in-a-pipe-do-not-cascade", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = q |> rleu |> relu |> softmax(axis=0)
            }
            """,
                "bad.nrt:2:7: error: 'q' is not defined: no input, parameter or earlier assignment has that name [dsl.undefined]",
                "bad.nrt:2:12: error: unknown op 'rleu': expected an ai.onnx op or a layer helper (did you mean 'Relu'?) [dsl.op]"),
        Case("argument-missing-after-comma", """
            model m(x: f32[2]) -> (y: f32[2]) {
              y = Add(x, =)
            }
            """,
                "bad.nrt:2:14: error: expected an argument (a value, a constant or name=value) or ')', found '=' [dsl.syntax]"),
    ];
}
