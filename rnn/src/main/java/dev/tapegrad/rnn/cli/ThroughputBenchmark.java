package dev.tapegrad.rnn.cli;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.GradClip;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.tensor.TensorArena;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A throughput measurement of the notebook's model (hidden 512, seq 100, vocab 65): training
 * characters per second at a given batch size (forward, backward through time, clipping and an Adam
 * step) and sampling characters per second, each with the rate of floating-point work it achieves.
 *
 * <p>Each figure is the median of several timed rounds after a warm-up that lasts until the JIT has
 * stopped compiling: the Vector API runs as plain Java until C2 compiles a kernel, many times
 * slower, so rounds timed before that would not describe steady state. The warm-up repeats rounds
 * until one passes with no compilation at all (by {@link CompilationMXBean}) and no faster than the
 * best so far by more than {@value #STEADY}, or for at most {@value #MAX_WARMUP_SECONDS} s. For
 * careful numbers use the JMH suite in {@code bench}.
 */
public final class ThroughputBenchmark {

  /** The notebook's sizes. */
  public static final int VOCAB = 65;
  /** The notebook's hidden width. */
  public static final int HIDDEN = 512;
  /** The notebook's chunk length. */
  public static final int SEQ = 100;

  /**
   * Floating-point operations of the matrix products per trained character: forward
   * {@code 2(3HV + 3H² + VH)} (input projection, recurrent product, decoder), twice that backward
   * (each product's two gradients). Gate math, softmax and Adam are left out (a few percent).
   */
  public static final double TRAIN_FLOPS_PER_CHAR = 6.0 * (3.0 * HIDDEN * VOCAB + 3.0 * HIDDEN * HIDDEN
      + (double) VOCAB * HIDDEN);

  /** The same products, forward only, per sampled character. */
  public static final double SAMPLE_FLOPS_PER_CHAR = TRAIN_FLOPS_PER_CHAR / 3;

  /** A round counts as steady when it is within this share of the best so far. */
  static final double STEADY = 0.05;

  /** The longest warm-up before the timed rounds start anyway. */
  static final int MAX_WARMUP_SECONDS = 60;

  private ThroughputBenchmark() {}

  /**
   * One measured figure.
   *
   * @param charsPerSecond characters per second, the median of the timed rounds
   * @param gflops the matrix products' floating-point operations per second at that rate, in billions
   * @param warmupSeconds how long the warm-up took
   * @param steady whether the warm-up ended because the JIT stopped compiling (else it ran out of time)
   */
  public record Figure(double charsPerSecond, double gflops, double warmupSeconds, boolean steady) {}

  /**
   * Measures training speed.
   *
   * @param batch chunks per step
   * @param rounds timed rounds (the median is returned)
   * @param stepsPerRound steps in each round
   * @return training characters per second (median of the rounds) and the rest of the figure
   */
  public static Figure train(int batch, int rounds, int stepsPerRound) {
    SplittableRandom random = new SplittableRandom(1);
    CharModel model = CharModel.create(VOCAB, HIDDEN, 1, random);
    Adam adam = Adam.create(model.parameters(), 1e-3f);
    int[] inputs = new int[batch * SEQ];
    int[] targets = new int[batch * SEQ];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = random.nextInt(VOCAB);
      targets[i] = random.nextInt(VOCAB);
    }
    TensorArena arena = new TensorArena();
    Runnable step = () -> {
      adam.zeroGrad();
      Tape tape = new Tape(arena);
      CharModel.Forward f = model.forward(tape, inputs, batch, SEQ, null, Implementation.FUSED);
      Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
      tape.backward(loss);
      GradClip.clipGlobalNorm(model.parameters(), 5.0);
      adam.step();
    };
    return measure(step, rounds, stepsPerRound, (double) batch * SEQ * stepsPerRound, TRAIN_FLOPS_PER_CHAR);
  }

  /**
   * Measures sampling speed at temperature 1.
   *
   * @param rounds timed rounds (the median is returned)
   * @param charsPerRound characters generated in each round
   * @return sampled characters per second (median of the rounds) and the rest of the figure
   */
  public static Figure sample(int rounds, int charsPerRound) {
    SplittableRandom random = new SplittableRandom(2);
    CharModel model = CharModel.create(VOCAB, HIDDEN, 1, random);
    int[] codePoints = new int[VOCAB];
    for (int i = 0; i < VOCAB; i++) {
      codePoints[i] = ' ' + i;
    }
    Sampler sampler = new Sampler(model, CharVocabulary.of(codePoints, false));
    Sampler.Options options = new Sampler.Options(1.0, 0, 3);
    Runnable round = () -> sampler.generate(" ", charsPerRound, options, cp -> { });
    return measure(round, rounds, 1, charsPerRound, SAMPLE_FLOPS_PER_CHAR);
  }

  /** Warms up, then times {@code rounds} rounds of {@code repeats} runs of {@code work}. */
  private static Figure measure(Runnable work, int rounds, int repeats, double charsPerRound, double flopsPerChar) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean watchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
    long warmupStart = System.nanoTime();
    double best = Double.POSITIVE_INFINITY;
    boolean steady = false;
    while (!steady && System.nanoTime() - warmupStart < MAX_WARMUP_SECONDS * 1_000_000_000L) {
      long compiledBefore = watchJit ? jit.getTotalCompilationTime() : 0;
      double seconds = time(work, repeats);
      boolean compiled = watchJit && jit.getTotalCompilationTime() != compiledBefore;
      steady = !compiled && seconds <= best * (1 + STEADY) && best < Double.POSITIVE_INFINITY;
      best = Math.min(best, seconds);
    }
    double warmup = (System.nanoTime() - warmupStart) / 1e9;
    double[] seconds = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      seconds[r] = time(work, repeats);
    }
    Arrays.sort(seconds);
    double charsPerSecond = charsPerRound / seconds[rounds / 2];
    return new Figure(charsPerSecond, charsPerSecond * flopsPerChar / 1e9, warmup, steady);
  }

  private static double time(Runnable work, int repeats) {
    long start = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      work.run();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
