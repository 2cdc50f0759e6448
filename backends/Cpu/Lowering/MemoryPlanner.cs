namespace Neurite.Backends.Cpu;

/// <summary>A buffer to place in the arena: its size and the first and last kernel (by index) that touch it.</summary>
public sealed record PlannedBuffer(string Name, long Floats, int First, int Last)
{
    public bool OverlapsInTime(PlannedBuffer other) => First <= other.Last && other.First <= Last;
}

/// <summary>
/// Places buffers in one arena so that two buffers share bytes only when no kernel needs both:
/// the greedy-by-size rule (TFLite's arena planner uses it too): largest buffers first, each at
/// the lowest offset that does not collide with an already placed buffer alive at the same time.
/// Offsets are multiples of 16 floats (64 bytes, a cache line and an AVX-512 vector). The order
/// is total (size, then first use, then name), so the same model always gets the same layout.
/// </summary>
public static class MemoryPlanner
{
    public const int AlignmentFloats = 16;

    public static (IReadOnlyDictionary<string, long> Offsets, long ArenaFloats) Plan(IReadOnlyList<PlannedBuffer> buffers)
    {
        var placed = new List<(PlannedBuffer Buffer, long Offset, long Size)>();
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        long arena = 0;
        foreach (var buffer in buffers.OrderByDescending(b => b.Floats).ThenBy(b => b.First).ThenBy(b => b.Name, StringComparer.Ordinal))
        {
            long size = Align(Math.Max(buffer.Floats, 1));
            long offset = 0;
            foreach (var (other, otherOffset, otherSize) in placed.Where(p => p.Buffer.OverlapsInTime(buffer)).OrderBy(p => p.Offset))
            {
                if (offset + size <= otherOffset)
                {
                    break;
                }
                offset = Math.Max(offset, otherOffset + otherSize);
            }
            placed.Add((buffer, offset, size));
            offsets[buffer.Name] = offset;
            arena = Math.Max(arena, offset + size);
        }
        return (offsets, arena);
    }

    private static long Align(long floats) => (floats + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
}
