package dev.tapegrad.bench;

import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The elementwise-and-reduction family's kernels, scalar reference beside the selected path: the
 * maximum over the last dimension of a (rows, cols) matrix ({@code amax(x, -1)}, attention's row
 * maxima), whose selected path is {@code ReduceSimd} when vectors are on. One thread; 64 rows of
 * {@code cols} floats (64 is attention's T at nanoGPT's small shapes, 1024 a vocabulary).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class ElementwiseBench {

  private static final int ROWS = 64;

  /** The length of each row. */
  @Param({"64", "1024"})
  public int cols;

  private float[] x;
  private float[] out;
  private int[] base;
  private int[] offsets;

  /** Fills x with uniform values in [−1, 1) from a fixed seed, and the row maps of a last-dimension reduction. */
  @Setup
  public void setUp() {
    if (!Kernels.isSimd()) {
      throw new IllegalStateException("run with --add-modules jdk.incubator.vector: the SIMD path is not selected");
    }
    x = Tensor.uniform(new SplittableRandom(42), -1f, 1f, ROWS * cols).data();
    out = new float[ROWS];
    base = IntStream.range(0, ROWS).map(r -> r * cols).toArray();
    offsets = IntStream.range(0, cols).toArray();
  }

  /** Row maxima, the scalar reference loop. */
  @Benchmark
  public float[] amaxRowsReference() {
    ReduceKernels.extremeReference(x, base, offsets, out, true);
    return out;
  }

  /** Row maxima through the door, which selects {@code ReduceSimd} here. */
  @Benchmark
  public float[] amaxRowsSelected() {
    ReduceKernels.extreme(x, base, offsets, out, true);
    return out;
  }
}
