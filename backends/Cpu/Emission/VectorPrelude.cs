namespace Neurite.Backends.Cpu;

/// <summary>
/// The lines at the top of <c>model.c</c> that choose how the kernels compute: fused multiply-adds
/// where the target has them, and the vector width the products are compiled for
/// (<c>NEURITE_VECTOR_WIDTH</c>: 16 with AVX-512F, 8 with AVX, 0 for any other target or compiler
/// and with <c>NEURITE_NO_VECTORS</c>), each with the types and macros its <see cref="PanelIsa"/>
/// form uses. <c>NEURITE_VECTORS</c>, <c>neurite_v8</c> and <c>neurite_zero</c> are there whenever
/// vectors are, for kernels that use 8-float vectors.
/// </summary>
public static class VectorPrelude
{
    public static void Write(CSource source)
    {
        source.Line("/* Fused multiply-add where the target has it (as the reference interpreter uses), else multiply then add. */");
        source.Line("#if defined(FP_FAST_FMAF)");
        source.Line("#define NEURITE_FMA(a, b, c) fmaf((a), (b), (c))");
        source.Line("#else");
        source.Line("#define NEURITE_FMA(a, b, c) ((a) * (b) + (c))");
        source.Line("#endif");
        source.Line();
        source.Line("/* GCC and Clang: the matrix products keep their sums in vector-extension registers, 16 floats");
        source.Line("   wide where the compiler targets AVX-512F, 8 where it targets AVX; a*b+c contracts to FMA where");
        source.Line("   the CPU has it. Unaligned loads and stores go through memcpy, as macros so no vector crosses a");
        source.Line("   function boundary. Elsewhere (SSE only, other CPUs, other compilers) plain loops with the same");
        source.Line("   arithmetic, which the compiler vectorises itself: vectors wider than the registers would be");
        source.Line("   emulated through memory, several times slower. */");
        source.Line("#if (defined(__GNUC__) || defined(__clang__)) && !defined(NEURITE_NO_VECTORS) && defined(__AVX__)");
        source.Line("#define NEURITE_VECTORS 1");
        source.Line("#include <string.h>");
        source.Line("typedef float neurite_v8 __attribute__((vector_size(32)));");
        source.Line("static const neurite_v8 neurite_zero __attribute__((unused)) = { 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };");
        source.Line("#define NEURITE_LOAD(v, p) memcpy(&(v), (p), sizeof(v))");
        source.Line("#define NEURITE_STORE(p, v) memcpy((p), &(v), sizeof(v))");
        source.Line("#if defined(__AVX512F__)");
        source.Line("#define NEURITE_VECTOR_WIDTH 16");
        source.Line("typedef float neurite_v16 __attribute__((vector_size(64)));");
        source.Line("static const neurite_v16 neurite_zero16 __attribute__((unused)) = { 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f };");
        source.Line("#else");
        source.Line("#define NEURITE_VECTOR_WIDTH 8");
        source.Line("#endif");
        source.Line("#else");
        source.Line("#define NEURITE_VECTORS 0");
        source.Line("#define NEURITE_VECTOR_WIDTH 0");
        source.Line("#endif");
    }
}
