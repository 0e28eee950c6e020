package dev.tapegrad.bench;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.MatMul;
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
 * The N-D products of a (B, T, C) model through the ops, forward and backward on a new tape each
 * time, at B 16, T 64, C 128 (N = C out), and H = 4 heads of D = 32 for attention scores:
 *
 * <ul>
 *   <li>{@code matmul2d} and {@code matmul3d}: x·W with x as (B·T, C) and as (B, T, C); the 3-D
 *       input is folded into the same single product, so the two should take the same time.
 *   <li>{@code linear2d} and {@code linear3d}: the same for Linear, x·Wᵀ + b.
 *   <li>{@code attentionBatched}: q·kᵀ for q (B, H, T, D) and kᵀ (B, H, D, T), one product per
 *       batch (B·H = 64), whose slices {@code BatchedMatMulKernels} copies into whole arrays;
 *       {@code attentionPerBatch} does the same products as 64 separate 2-D MatMuls on arrays that
 *       already are whole, which measures what the copies cost.
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar BatchedMatMulBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class BatchedMatMulBench {

  private static final int B = 16;
  private static final int T = 64;
  private static final int C = 128;
  private static final int H = 4;
  private static final int D = C / H;

  private Variable x2d;
  private Variable x3d;
  private Variable w;
  private Variable wRows;
  private Variable bias;
  private Variable q;
  private Variable kT;
  private Variable[] qs;
  private Variable[] kTs;

  /** Fills every operand from a fixed seed. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    Tensor x = Tensor.uniform(random, -1f, 1f, B * T, C);
    x2d = Variable.parameter("x", x);
    x3d = Variable.parameter("x", x.copy().reshape(B, T, C));
    w = Variable.parameter("w", Tensor.uniform(random, -0.1f, 0.1f, C, C));
    wRows = Variable.parameter("weight", Tensor.uniform(random, -0.1f, 0.1f, C, C));
    bias = Variable.parameter("bias", Tensor.uniform(random, -0.1f, 0.1f, C));
    Tensor qValues = Tensor.uniform(random, -1f, 1f, B, H, T, D);
    Tensor kValues = Tensor.uniform(random, -1f, 1f, B, H, D, T);
    q = Variable.parameter("q", qValues);
    kT = Variable.parameter("kT", kValues);
    qs = new Variable[B * H];
    kTs = new Variable[B * H];
    for (int i = 0; i < B * H; i++) {
      float[] qi = new float[T * D];
      float[] ki = new float[D * T];
      System.arraycopy(qValues.data(), i * T * D, qi, 0, T * D);
      System.arraycopy(kValues.data(), i * D * T, ki, 0, D * T);
      qs[i] = Variable.parameter("q" + i, Tensor.of(qi, T, D));
      kTs[i] = Variable.parameter("kT" + i, Tensor.of(ki, D, T));
    }
  }

  private static Tensor forwardBackward(Tape tape, Variable out) {
    tape.backward(out, Tensor.full(1f, out.shape().dims()), false);
    return out.value();
  }

  /** (B·T, C)·(C, C), forward and backward. */
  @Benchmark
  public Tensor matmul2d() {
    Tape tape = new Tape();
    return forwardBackward(tape, MatMul.apply(tape, x2d, w));
  }

  /** (B, T, C)·(C, C), forward and backward. */
  @Benchmark
  public Tensor matmul3d() {
    Tape tape = new Tape();
    return forwardBackward(tape, MatMul.apply(tape, x3d, w));
  }

  /** Linear on (B·T, C), forward and backward. */
  @Benchmark
  public Tensor linear2d() {
    Tape tape = new Tape();
    return forwardBackward(tape, Linear.apply(tape, x2d, wRows, bias));
  }

  /** Linear on (B, T, C), forward and backward. */
  @Benchmark
  public Tensor linear3d() {
    Tape tape = new Tape();
    return forwardBackward(tape, Linear.apply(tape, x3d, wRows, bias));
  }

  /** (B, H, T, D)·(B, H, D, T), forward and backward: 64 batched products. */
  @Benchmark
  public Tensor attentionBatched() {
    Tape tape = new Tape();
    return forwardBackward(tape, MatMul.apply(tape, q, kT));
  }

  /** The same 64 products as separate 2-D MatMuls, forward and backward. */
  @Benchmark
  public Tensor attentionPerBatch() {
    Tensor last = null;
    for (int i = 0; i < qs.length; i++) {
      Tape tape = new Tape();
      last = forwardBackward(tape, MatMul.apply(tape, qs[i], kTs[i]));
    }
    return last;
  }
}
