package dev.tapegrad.bench;

import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.kernel.MatMulParallel;
import dev.tapegrad.kernel.MatMulSimd;
import dev.tapegrad.kernel.MatVecKernels;
import dev.tapegrad.kernel.MatVecSimd;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GRU's per-step recurrent products at batch 1 with hidden size H = 512: the forward
 * {@code y += W_hh · h} (W_hh is 3H×H = 1536×512, 1.57 MFLOP) and the backward
 * {@code dh += dgᵀ · W_hh} (1×1536 by 1536×512). Reference vs SIMD on one thread, and the
 * forward split over threads for comparison (the facade's {@code matvec} stays on one thread).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class MatVecBench {

  private static final int HIDDEN = 512;
  private static final int ROWS = 3 * HIDDEN;

  private float[] w;
  private float[] h;
  private float[] gates;
  private float[] dGates;
  private float[] dh;
  private int threads;

  /** Fills W_hh, h and dg with uniform values in [−1, 1) from a fixed seed. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    w = Tensor.uniform(random, -1f, 1f, ROWS * HIDDEN).storage();
    h = Tensor.uniform(random, -1f, 1f, HIDDEN).storage();
    dGates = Tensor.uniform(random, -1f, 1f, ROWS).storage();
    gates = new float[ROWS];
    dh = new float[HIDDEN];
    threads = Runtime.getRuntime().availableProcessors();
  }

  /** Forward, scalar reference: {@code gates += W_hh · h}. */
  @Benchmark
  public float[] matvecReference() {
    MatVecKernels.matvecReference(w, 0, h, 0, gates, 0, ROWS, HIDDEN);
    return gates;
  }

  /** Forward, SIMD dot tiles on one thread. */
  @Benchmark
  public float[] matvecSimd() {
    MatVecSimd.matvecSimd(w, 0, h, 0, gates, 0, ROWS, HIDDEN);
    return gates;
  }

  /** Forward, the same dot tiles split over the rows of W_hh on one block per processor. */
  @Benchmark
  public float[] matvecParallel() {
    MatMulParallel.matmulTransBParallel(h, w, gates, 1, HIDDEN, ROWS, threads);
    return gates;
  }

  /** Backward, scalar reference: {@code dh += dgᵀ · W_hh}. */
  @Benchmark
  public float[] vecmatReference() {
    MatMulKernels.matmulReference(dGates, w, dh, 1, ROWS, HIDDEN);
    return dh;
  }

  /** Backward, SIMD broadcast tiles (one row) on one thread. */
  @Benchmark
  public float[] vecmatSimd() {
    MatMulSimd.matmulSimd(dGates, w, dh, 1, ROWS, HIDDEN);
    return dh;
  }
}
