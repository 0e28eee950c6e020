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
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A quick throughput measurement of the notebook's model (hidden 512, seq 100, vocab 65): training
 * characters per second at a given batch size (forward, backward through time, clipping and an Adam
 * step) and sampling characters per second. Each figure is the median of several timed rounds after
 * a warm-up, so one noisy round does not decide it. For careful numbers use the JMH suite in
 * {@code bench}.
 */
public final class ThroughputBenchmark {

  /** The notebook's sizes. */
  public static final int VOCAB = 65;
  /** The notebook's hidden width. */
  public static final int HIDDEN = 512;
  /** The notebook's chunk length. */
  public static final int SEQ = 100;

  private ThroughputBenchmark() {}

  /**
   * Measures training speed.
   *
   * @param batch chunks per step
   * @param rounds timed rounds (the median is returned)
   * @param stepsPerRound steps in each round
   * @return training characters per second (median of the rounds)
   */
  public static double trainCharsPerSecond(int batch, int rounds, int stepsPerRound) {
    SplittableRandom random = new SplittableRandom(1);
    CharModel model = CharModel.create(VOCAB, HIDDEN, 1, random);
    Adam adam = Adam.create(model.parameters(), 1e-3f);
    int[] inputs = new int[batch * SEQ];
    int[] targets = new int[batch * SEQ];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = random.nextInt(VOCAB);
      targets[i] = random.nextInt(VOCAB);
    }
    Runnable step = () -> {
      adam.zeroGrad();
      Tape tape = new Tape();
      CharModel.Forward f = model.forward(tape, inputs, batch, SEQ, null, Implementation.FUSED);
      Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
      tape.backward(loss);
      GradClip.clipGlobalNorm(model.parameters(), 5.0);
      adam.step();
    };
    return (double) batch * SEQ * stepsPerRound / medianSeconds(step, rounds, stepsPerRound);
  }

  /**
   * Measures sampling speed at temperature 1.
   *
   * @param rounds timed rounds (the median is returned)
   * @param charsPerRound characters generated in each round
   * @return sampled characters per second (median of the rounds)
   */
  public static double sampleCharsPerSecond(int rounds, int charsPerRound) {
    SplittableRandom random = new SplittableRandom(2);
    CharModel model = CharModel.create(VOCAB, HIDDEN, 1, random);
    int[] codePoints = new int[VOCAB];
    for (int i = 0; i < VOCAB; i++) {
      codePoints[i] = ' ' + i;
    }
    Sampler sampler = new Sampler(model, CharVocabulary.of(codePoints, false));
    Sampler.Options options = new Sampler.Options(1.0, 0, 3);
    Runnable round = () -> sampler.generate(" ", charsPerRound, options, cp -> { });
    return charsPerRound / medianSeconds(round, rounds, 1);
  }

  /** Runs {@code work} {@code repeats} times per round, once to warm up, then {@code rounds} timed. */
  private static double medianSeconds(Runnable work, int rounds, int repeats) {
    for (int i = 0; i < repeats; i++) {
      work.run();
    }
    double[] seconds = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < repeats; i++) {
        work.run();
      }
      seconds[r] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(seconds);
    return seconds[rounds / 2];
  }
}
