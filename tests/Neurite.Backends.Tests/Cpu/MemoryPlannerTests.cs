using Neurite.Backends.Cpu;
using Xunit;

namespace Neurite.Backends.Tests.Cpu;

/// <summary>The arena plan: buffers alive at the same time never share bytes, and dead buffers are reused.</summary>
public sealed class MemoryPlannerTests
{
    [Fact]
    public void BuffersAliveTogetherNeverOverlap()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            var buffers = Enumerable.Range(0, random.Next(1, 30)).Select(i =>
            {
                int first = random.Next(20);
                return new PlannedBuffer($"b{i}", random.Next(1, 5000), first, first + random.Next(5));
            }).ToList();
            var (offsets, arena) = MemoryPlanner.Plan(buffers);
            foreach (var a in buffers)
            {
                Assert.True(offsets[a.Name] % MemoryPlanner.AlignmentBytes == 0);
                Assert.True(offsets[a.Name] + a.Bytes <= arena);
                foreach (var b in buffers.Where(b => b != a && b.OverlapsInTime(a)))
                {
                    bool apart = offsets[a.Name] + a.Bytes <= offsets[b.Name] || offsets[b.Name] + b.Bytes <= offsets[a.Name];
                    Assert.True(apart, $"trial {trial}: {a} at {offsets[a.Name]} overlaps {b} at {offsets[b.Name]}");
                }
            }
        }
    }

    [Fact]
    public void AChainReusesTheBufferTwoStepsBack()
    {
        // x1 = f(x0), x2 = f(x1), x3 = f(x2): only two consecutive buffers are ever alive.
        var buffers = Enumerable.Range(0, 4).Select(i => new PlannedBuffer($"x{i}", 4096, i, i + 1)).ToList();
        var (offsets, arena) = MemoryPlanner.Plan(buffers);
        Assert.Equal(8192, arena);
        Assert.Equal(offsets["x0"], offsets["x2"]);
        Assert.Equal(offsets["x1"], offsets["x3"]);
    }
}
