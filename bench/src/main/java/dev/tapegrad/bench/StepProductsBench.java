package dev.tapegrad.bench;

import dev.tapegrad.kernel.MatMulKernels;
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
 * The matrix products of one training step of the notebook's model at batch 32 (Embedding(65, 65)
 * → GRU(512) → Linear(512, 65), seq 100, so 3,200 rows), each through its door in
 * {@link MatMulKernels}, as the ops call them, on every core. Where {@link MatMulBench} measures
 * square products, these are the shapes the step spends its time in; the rate is
 * {@code 2·m·k·n / time}.
 *
 * <p>{@code shape} names the layout and m×k×n: {@code AB} is {@code C += A·B}, {@code AtB}
 * {@code C += Aᵀ·B} (A k×m), {@code ABt} {@code C += A·Bᵀ} (B n×k), {@code ABt*} the same with B
 * packed once ({@link MatMulKernels.PackedRows}), as the recurrent layer packs W_hh per chunk:
 * <ul>
 *   <li>{@code AtB:1536x3200x512}: dW_hh, summed over the chunk;
 *   <li>{@code AtB:1536x3200x65}: dW_ih;
 *   <li>{@code AtB:65x3200x512}: the decoder's weight gradient;
 *   <li>{@code ABt*:32x512x1536}: the per-step recurrent product h·W_hhᵀ (100 per step);
 *   <li>{@code ABt*:32x1536x512}: its backward dgh·W_hh (100 per step);
 *   <li>{@code ABt:3200x65x1536}: the input projection; {@code ABt:3200x512x65} the decoder;
 *   <li>{@code AB:3200x1536x65}: dx; {@code AB:3200x65x512}: the decoder's dh.
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar StepProductsBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class StepProductsBench {

  /** The layout and m×k×n (see the class comment). */
  @Param({"AtB:1536x3200x512", "AtB:1536x3200x65", "AtB:65x3200x512", "ABt*:32x512x1536", "ABt*:32x1536x512",
      "ABt:3200x65x1536", "ABt:3200x512x65", "AB:3200x1536x65", "AB:3200x65x512"})
  public String shape;

  private String layout;
  private int m;
  private int k;
  private int n;
  private float[] a;
  private float[] b;
  private float[] c;
  private MatMulKernels.PackedRows packed;

  /** Fills A and B with uniform values in [−1, 1) from a fixed seed; packs B for {@code ABt*}. */
  @Setup
  public void setUp() {
    String[] parts = shape.split(":");
    layout = parts[0];
    String[] dims = parts[1].split("x");
    m = Integer.parseInt(dims[0]);
    k = Integer.parseInt(dims[1]);
    n = Integer.parseInt(dims[2]);
    SplittableRandom random = new SplittableRandom(42);
    a = Tensor.uniform(random, -1f, 1f, m * k).storage();
    b = Tensor.uniform(random, -1f, 1f, k * n).storage();
    c = new float[m * n];
    if (layout.equals("ABt*")) {
      packed = new MatMulKernels.PackedRows().pack(b, k, n);
    }
  }

  /** One product through its door. Returns C so that the work is observed. */
  @Benchmark
  public float[] product() {
    switch (layout) {
      case "AB" -> MatMulKernels.matmul(a, b, c, m, k, n);
      case "AtB" -> MatMulKernels.matmulTransA(a, b, c, m, k, n);
      case "ABt" -> MatMulKernels.matmulTransB(a, b, c, m, k, n);
      default -> MatMulKernels.matmulTransB(a, packed, c, m);
    }
    return c;
  }
}
