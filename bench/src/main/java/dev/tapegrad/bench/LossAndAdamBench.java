package dev.tapegrad.bench;

import dev.tapegrad.kernel.AdamKernels;
import dev.tapegrad.kernel.AdamSimd;
import dev.tapegrad.kernel.SoftmaxCrossEntropyKernels;
import dev.tapegrad.kernel.SoftmaxCrossEntropySimd;
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
 * The two non-matmul kernels of a char-RNN train step, reference vs SIMD: softmax cross-entropy
 * over a 100-step chunk at batch 1 with a 65-character vocabulary (forward and backward), and
 * one Adam step over the parameters of a one-layer GRU with H = 512 on that vocabulary
 * (about 0.93 M floats; four arrays are read and three written, so it is bound by memory).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class LossAndAdamBench {

  private static final int ROWS = 100;
  private static final int VOCAB = 65;
  private static final int HIDDEN = 512;

  /** Embedding V×V, GRU W_ih 3H×V, W_hh 3H×H, two 3H biases, Linear V×H plus V. */
  private static final int PARAMS = VOCAB * VOCAB + 3 * HIDDEN * VOCAB + 3 * HIDDEN * HIDDEN + 6 * HIDDEN
      + VOCAB * HIDDEN + VOCAB;

  private float[] logits;
  private int[] targets;
  private float[] probs;
  private float[] dLogits;
  private float[] param;
  private float[] grad;
  private float[] m;
  private float[] v;

  /** Fills logits, targets, parameters and gradients from a fixed seed. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    logits = Tensor.uniform(random, -5f, 5f, ROWS * VOCAB).storage();
    targets = random.ints(ROWS, 0, VOCAB).toArray();
    probs = new float[ROWS * VOCAB];
    dLogits = new float[ROWS * VOCAB];
    param = Tensor.uniform(random, -0.05f, 0.05f, PARAMS).storage();
    grad = Tensor.uniform(random, -1e-3f, 1e-3f, PARAMS).storage();
    m = new float[PARAMS];
    v = new float[PARAMS];
    SoftmaxCrossEntropyKernels.forwardReference(logits, targets, probs, ROWS, VOCAB);
  }

  /** Softmax cross-entropy forward, reference (double exp per logit). */
  @Benchmark
  public double softmaxForwardReference() {
    return SoftmaxCrossEntropyKernels.forwardReference(logits, targets, probs, ROWS, VOCAB);
  }

  /** Softmax cross-entropy forward, SIMD (lane polynomial exp). */
  @Benchmark
  public double softmaxForwardSimd() {
    return SoftmaxCrossEntropySimd.forwardSimd(logits, targets, probs, ROWS, VOCAB);
  }

  /** Softmax cross-entropy backward, reference. */
  @Benchmark
  public float[] softmaxBackwardReference() {
    SoftmaxCrossEntropyKernels.backwardReference(probs, targets, dLogits, ROWS, VOCAB, 1f / ROWS);
    return dLogits;
  }

  /** Softmax cross-entropy backward, SIMD. */
  @Benchmark
  public float[] softmaxBackwardSimd() {
    SoftmaxCrossEntropySimd.backwardSimd(probs, targets, dLogits, ROWS, VOCAB, 1f / ROWS);
    return dLogits;
  }

  /** One Adam step over every parameter, reference. */
  @Benchmark
  public float[] adamReference() {
    AdamKernels.stepReference(param, grad, m, v, 2e-3f, 0.9f, 0.999f, 1e-8f, 0f, 10);
    return param;
  }

  /** One Adam step over every parameter, SIMD. */
  @Benchmark
  public float[] adamSimd() {
    AdamSimd.stepSimd(param, grad, m, v, 2e-3f, 0.9f, 0.999f, 1e-8f, 0f, 10);
    return param;
  }
}
