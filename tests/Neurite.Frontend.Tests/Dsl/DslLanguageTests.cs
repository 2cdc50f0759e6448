using Neurite.Frontend.Dsl;
using Neurite.Frontend.TensorFiles;
using Neurite.Ir;
using Neurite.Testing;
using Xunit;

namespace Neurite.Frontend.Tests.Dsl;

/// <summary>What the language means: helpers and pipes, rebinding, parameters and their sources, subgraphs.</summary>
public sealed class DslLanguageTests
{
    [Fact]
    public void HelpersAndPipesBecomeCanonicalOps()
    {
        var model = DslTestPrograms.Load("""
            model net(x: f32[N, 1, 8, 8]) -> (y: f32[N, 3]) {
              param w: f32[2, 1, 3, 3] = ones
              param b: f32[2] = zeros
              param d: f32[3, 32] = fill(0.5)
              h = x |> conv2d(w, b, pads=1) |> relu |> maxpool(2)
              y = h |> flatten |> dense(d)
            }
            """);
        var nodes = model.Graph.Nodes;
        Assert.Equal(["Conv", "Relu", "MaxPool", "Flatten", "Gemm"], nodes.Select(n => n.OpType));
        Assert.Equal([1L, 1, 1, 1], nodes[0].Attribute("pads")!.AsInts().ToArray());
        Assert.Equal([2L, 2], nodes[2].Attribute("kernel_shape")!.AsInts().ToArray());
        Assert.Equal([2L, 2], nodes[2].Attribute("strides")!.AsInts().ToArray());
        Assert.Equal(1, nodes[4].Attribute("transB")!.AsInt());
        // The piped value is the first input of each stage.
        Assert.Equal(["x", "w", "b"], nodes[0].Inputs.ToArray());
        Assert.Equal(nodes[0].Outputs[0], nodes[1].Inputs[0]);
        Assert.Equal("y", nodes[4].Outputs[0]);
    }

    [Fact]
    public void RebindingANameMakesFreshValuesAndTheLastKeepsTheName()
    {
        var model = DslTestPrograms.Load("""
            model m(x: f32[4]) -> (h: f32[4]) {
              h = Relu(x)
              h = Neg(h)
              h = Abs(h)
            }
            """);
        var nodes = model.Graph.Nodes;
        Assert.Equal(["h_1", "h_2", "h"], nodes.Select(n => n.Outputs[0]));
        Assert.Equal(["x", "h_1", "h_2"], nodes.Select(n => n.Inputs[0]));
        var y = new Interpreter(model).Run(Tensor.Create([1f, -2f, 3f, -4f], 4));
        // abs(neg(relu(x))) = relu(x)
        Assert.Equal([1f, 0f, 3f, 0f], y.ToArray<float>());
    }

    [Fact]
    public void OutputsOfAMultiOutputOpAreNamedOrSkipped()
    {
        var model = DslTestPrograms.Load("""
            model m(x: f32[6]) -> (a: f32[2], c: f32[2]) {
              (a, _, c) = Split(x, num_outputs=3)
            }
            """);
        Assert.Equal(["a", "", "c"], model.Graph.Nodes[0].Outputs.ToArray());
    }

    [Fact]
    public void NodeLabelsNameNodesAndOtherwiseTheOutputDoes()
    {
        var model = DslTestPrograms.Load("""
            model m(x: f32[4]) -> (y: f32[4]) {
              @first h = Relu(x)
              @`/odd/name` y = Neg(h)
            }
            """);
        Assert.Equal(["first", "/odd/name"], model.Graph.Nodes.Select(n => n.Name));
        var unlabeled = DslTestPrograms.Load("model m(x: f32[4]) -> (y: f32[4]) { y = Relu(x) }");
        Assert.Equal("y", unlabeled.Graph.Nodes[0].Name);
    }

    [Fact]
    public void RandomWeightsFollowSplitMix64()
    {
        // SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference splitmix64.c) from state 0
        // gives 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F; random() maps the
        // top 53 bits into [low, high).
        var model = DslTestPrograms.Load("""
            model m(x: f64[3]) -> (y: f64[3]) {
              param w: f64[3] = random(seed=0, low=0, high=1)
              y = Add(x, w)
            }
            """);
        ulong[] published = [0xE220A8397B1DCDAFUL, 0x6E789E6AA1B965F4UL, 0x06C45D188009454FUL];
        var expected = published.Select(bits => (bits >> 11) * (1.0 / (1UL << 53))).ToArray();
        Assert.Equal(expected, model.Graph.Initializer("w")!.ToArray<double>());
    }

    [Fact]
    public void NormalWeightsHaveTheAskedMeanAndSpread()
    {
        var model = DslTestPrograms.Load("""
            model m(x: f32[20000]) -> (y: f32[20000]) {
              param w: f32[20000] = normal(seed=7, mean=2, std=0.5)
              y = Add(x, w)
            }
            """);
        var w = model.Graph.Initializer("w")!.ToArray<float>();
        double mean = w.Average(v => (double)v);
        double std = Math.Sqrt(w.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 1.99, 2.01);
        Assert.InRange(std, 0.49, 0.51);
    }

    [Fact]
    public void ParametersComeFromNpzNpyAndRawFilesBesideTheProgram()
    {
        using var folder = new TemporaryFolder();
        Npz.Write([new("c1.w", Tensor.Create([1f, 2f, 3f, 4f], 2, 2)), new("q", Tensor.Create(new sbyte[] { -3, 5 }, 2))], folder.File("weights.npz"));
        Npy.Write(Tensor.Create([10f, 20f], 2), folder.File("bias.npy"));
        File.WriteAllBytes(folder.File("blob.bin"), [0xFF, 0xFF, .. BitConverter.GetBytes(7.5f), .. BitConverter.GetBytes(-1.5f)]);
        var model = DslTestPrograms.Load("""
            model m(x: f32[2, 2]) -> (y: f32[2, 2]) {
              params "weights.npz"
              param q: qi8<scale=0.5, zp=1>[2]          # declared: the archive's i8 read as quantised
              param b: f32[2] = file("bias.npy")
              param r: f32[2] = raw("blob.bin", offset=2, length=8)
              param k: f32[2, 2] = file("weights.npz", key="c1.w")
              h = Add(x, c1.w)                          # undeclared: found in the archive by name
              y = Add(h, b)
            }
            """, folder);
        Assert.Equal([1f, 2f, 3f, 4f], model.Graph.Initializer("c1.w")!.ToArray<float>());
        Assert.Equal("qi8<scale=0.5, zp=1>[2]", model.Graph.Initializer("q")!.Type.ToString());
        Assert.Equal(new sbyte[] { -3, 5 }, model.Graph.Initializer("q")!.ToArray<sbyte>());
        Assert.Equal([10f, 20f], model.Graph.Initializer("b")!.ToArray<float>());
        Assert.Equal([7.5f, -1.5f], model.Graph.Initializer("r")!.ToArray<float>());
        Assert.Equal([1f, 2f, 3f, 4f], model.Graph.Initializer("k")!.ToArray<float>());
        Assert.Equal(["q", "b", "r", "k", "c1.w"], model.Graph.Initializers.Select(i => i.Name));
    }

    [Fact]
    public void AWeightFileBehindASymbolicLinkOutOfTheFolderIsRefused()
    {
        using var outside = new TemporaryFolder();
        using var folder = new TemporaryFolder();
        Npy.Write(Tensor.Create([1f, 2f], 2), outside.File("secret.npy"));
        File.CreateSymbolicLink(folder.File("link.npy"), outside.File("secret.npy"));
        var result = DslTestPrograms.Read("""
            model m(x: f32[2]) -> (y: f32[2]) {
              param w: f32[2] = file("link.npy")
              y = Add(x, w)
            }
            """, folder);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal($"test.nrt:2:26: error: weight file 'link.npy' is refused: a symbolic link leads outside the model's folder (to {outside.File("secret.npy")}) [dsl.path]",
            error.ToString());
    }

    [Fact]
    public void QuantisedAndFixedPointTypesReadAsTypeSyntaxWritesThem()
    {
        var model = DslTestPrograms.Load("""
            model m(x: qi8<axis=0, scale=[0.1, 0.2], zp=[0, -1]>[2, 4], f: fixed<16,6,rnd_conv,sat>[3]) -> (y: qi8<axis=0, scale=[0.1, 0.2], zp=[0, -1]>[2, 4]) {
              y = Identity(x)
            }
            """);
        Assert.Equal("qi8<axis=0, scale=[0.1, 0.2], zp=[0, -1]>[2, 4]", model.Graph.Inputs[0].Type!.ToString());
        Assert.Equal("fixed<16,6,rnd_conv,sat>[3]", model.Graph.Inputs[1].Type!.ToString());
    }

    [Fact]
    public void IfBranchesAgreeWithOnnxRuntime()
    {
        var model = DslTestPrograms.Load("""
            model choose(c: bool[], x: f32[3]) -> (y: f32[3]) {
              opset ai.onnx 17
              y = If(c, then_branch=graph () -> (t: f32[3]) {
                t = Relu(x)             # reads x of the enclosing graph
              }, else_branch=graph () -> (e: f32[3]) {
                e = Neg(x)
              })
            }
            """);
        foreach (bool condition in new[] { true, false })
        {
            var inputs = new Dictionary<string, Tensor> { ["c"] = Tensor.Create([condition]).Reshape([]), ["x"] = Tensor.Create([1f, -2f, 3f], 3) };
            var (interpreted, reference) = DslTestPrograms.RunBoth(model, inputs);
            Assert.Equal(reference["y"].ToArray<float>(), interpreted["y"].ToArray<float>());
            Assert.Equal(condition ? [1f, 0f, 3f] : [-1f, 2f, -3f], reference["y"].ToArray<float>());
        }
    }

    [Fact]
    public void LoopBodyAgreesWithOnnxRuntime()
    {
        var model = DslTestPrograms.Load("""
            model accumulate(n: i64[], x: f32[2]) -> (total: f32[2]) {
              opset ai.onnx 17
              param go: bool[] = [true]
              total = Loop(n, go, x, body=graph (i: i64[], cond: bool[], acc: f32[2]) -> (cond_out: bool[], acc_out: f32[2]) {
                cond_out = Identity(cond)
                acc_out = Add(acc, x)
              })
            }
            """);
        var inputs = new Dictionary<string, Tensor> { ["n"] = Tensor.Create([4L]).Reshape([]), ["x"] = Tensor.Create([0.5f, -1f], 2) };
        var (interpreted, reference) = DslTestPrograms.RunBoth(model, inputs);
        Assert.Equal([2.5f, -5f], reference["total"].ToArray<float>());
        Assert.Equal(reference["total"].ToArray<float>(), interpreted["total"].ToArray<float>());
    }

    [Fact]
    public void LiteralInputsBecomeConstantParameters()
    {
        var model = DslTestPrograms.Load("""
            model m(x: f32[2, 3]) -> (y: f32[3, 2]) {
              h = Mul(x, 0.5)
              h = add(h, [1.0, 2.0, 3.0])
              y = reshape(h, [3, -1])
            }
            """);
        Assert.Equal(["h_1.const", "h.const", "y.const"], model.Graph.Initializers.Select(i => i.Name));
        Assert.Equal("f32[]", model.Graph.Initializer("h_1.const")!.Type.ToString());
        Assert.Equal([3L, -1], model.Graph.Initializer("y.const")!.ToArray<long>());
        var y = new Interpreter(model).Run(Tensor.Create([0f, 2f, 4f, 6f, 8f, 10f], 2, 3));
        // x * 0.5 + [1, 2, 3], reshaped to [3, 2]
        Assert.Equal([1f, 3f, 5f, 4f, 6f, 8f], y.ToArray<float>());
        Assert.Equal([3, 2], y.ShapeArray());
    }

    [Fact]
    public void AProgramWithoutOpsetImportsTheDefault()
    {
        var model = DslTestPrograms.Load("model m(x: f32[2]) -> (y: f32[2]) { y = x |> relu |> softmax }");
        Assert.Equal(21, model.OpsetOf(""));
        // ONNX Runtime runs that opset: softmax of relu([-1, 1]) = softmax([0, 1]).
        var (interpreted, reference) = DslTestPrograms.RunBoth(model, new Dictionary<string, Tensor> { ["x"] = Tensor.Create([-1f, 1f], 2) });
        Assert.Equal(1 / (1 + MathF.E), reference["y"].ToArray<float>()[0], 6);
        Assert.Equal(reference["y"].ToArray<float>(), interpreted["y"].ToArray<float>());
    }
}
