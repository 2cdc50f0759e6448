namespace Neurite.Backends.Cpu;

/// <summary>A buffer to place in the arena: its size in bytes and the first and last kernel (by index) that touch it.</summary>
public sealed record PlannedBuffer(string Name, long Bytes, int First, int Last)
{
    public bool OverlapsInTime(PlannedBuffer other) => First <= other.Last && other.First <= Last;
}

/// <summary>
/// Places buffers in one arena so that two buffers share bytes only when no kernel needs both:
/// the greedy-by-size rule (TFLite's arena planner uses it too): largest buffers first, each at
/// the lowest offset that does not collide with an already placed buffer alive at the same time.
/// Sizes are in bytes, whatever the element type, so an int8 tensor can reuse the bytes of a dead
/// float one and the other way round. Offsets are multiples of 64 bytes (a cache line and an
/// AVX-512 vector, so aligned for every element type). The order is total (size, then first use,
/// then name), so the same model always gets the same layout.
/// </summary>
public static class MemoryPlanner
{
    public const int AlignmentBytes = 64;

    public static (IReadOnlyDictionary<string, long> Offsets, long ArenaBytes) Plan(IReadOnlyList<PlannedBuffer> buffers)
    {
        var placed = new List<(PlannedBuffer Buffer, long Offset, long Size)>();
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        long arena = 0;
        foreach (var buffer in buffers.OrderByDescending(b => b.Bytes).ThenBy(b => b.First).ThenBy(b => b.Name, StringComparer.Ordinal))
        {
            long size = Align(Math.Max(buffer.Bytes, 1));
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

    private static long Align(long bytes) => (bytes + AlignmentBytes - 1) / AlignmentBytes * AlignmentBytes;
}
