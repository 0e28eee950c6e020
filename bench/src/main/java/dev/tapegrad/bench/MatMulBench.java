package dev.tapegrad.bench;

import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.kernel.MatMulParallel;
import dev.tapegrad.kernel.MatMulSimd;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Square matrix products, n×n by n×n, in the three layouts the ops use: scalar reference vs
 * single-threaded SIMD vs parallel SIMD (one block per available processor).
 *
 * <p>Sizes include lane multiples (256, 512, 1024) and sizes one below or above (255, 513),
 * which exercise the edge tiles and scalar tails. Time per product is reported; the rate is
 * {@code 2·n³ / time} floating-point operations per second (2.15 GFLOP for n = 1024).
 *
 * <p>Run (see BENCHMARKS.md): {@code java -jar bench/target/benchmarks.jar MatMulBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class MatMulBench {

  /** Which product: {@code C += A·B}, {@code C += Aᵀ·B} or {@code C += A·Bᵀ}. */
  public enum Product {
    /** {@code C += A·B}. */
    MATMUL,
    /** {@code C += Aᵀ·B}, a weight gradient. */
    TRANS_A,
    /** {@code C += A·Bᵀ}, Linear's forward. */
    TRANS_B
  }

  /** n: every matrix is n×n. */
  @Param({"255", "256", "512", "513", "1024"})
  public int size;

  /** The layout. */
  @Param({"MATMUL", "TRANS_A", "TRANS_B"})
  public Product product;

  private float[] a;
  private float[] b;
  private float[] c;
  private int threads;

  /** Fills A and B with uniform values in [−1, 1) from a fixed seed. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    a = Tensor.uniform(random, -1f, 1f, size * size).storage();
    b = Tensor.uniform(random, -1f, 1f, size * size).storage();
    c = new float[size * size];
    threads = Runtime.getRuntime().availableProcessors();
  }

  /** The scalar reference loops. Returns C so that the work is observed. */
  @Benchmark
  public float[] reference() {
    switch (product) {
      case MATMUL -> MatMulKernels.matmulReference(a, b, c, size, size, size);
      case TRANS_A -> MatMulKernels.matmulTransAReference(a, b, c, size, size, size);
      default -> MatMulKernels.matmulTransBReference(a, b, c, size, size, size);
    }
    return c;
  }

  /** The Vector API tiles on one thread. Returns C so that the work is observed. */
  @Benchmark
  public float[] simd() {
    switch (product) {
      case MATMUL -> MatMulSimd.matmulSimd(a, b, c, size, size, size);
      case TRANS_A -> MatMulSimd.matmulTransASimd(a, b, c, size, size, size);
      default -> MatMulSimd.matmulTransBSimd(a, b, c, size, size, size);
    }
    return c;
  }

  /** The Vector API tiles on one block per available processor. Returns C so that the work is observed. */
  @Benchmark
  public float[] parallel() {
    switch (product) {
      case MATMUL -> MatMulParallel.matmulParallel(a, b, c, size, size, size, threads);
      case TRANS_A -> MatMulParallel.matmulTransAParallel(a, b, c, size, size, size, threads);
      default -> MatMulParallel.matmulTransBParallel(a, b, c, size, size, size, threads);
    }
    return c;
  }
}
