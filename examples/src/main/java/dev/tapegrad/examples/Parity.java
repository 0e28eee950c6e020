package dev.tapegrad.examples;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.AbstractModule;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Recurrent;
import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Many-to-one: a GRU reads a bit string one bit per step and, from its final hidden state only,
 * says whether the string has an odd number of ones (its parity).
 *
 * <pre>
 *   bits b_1 … b_L  →  x (N×L×2, one-hot)  →  GRU(2, H)  →  h_L (N×H)  →  Linear(H, 2)  →  parity
 * </pre>
 *
 * <p>No single step sees the answer: the hidden state has to carry "odd so far" from step to
 * step, flipping it at every one. That is the hidden state as memory, and back-propagation
 * through time is what teaches the GRU to keep it. The training set is every string of 1 to
 * {@value #LENGTH} bits (one batch per length); the composed {@link Implementation#REFERENCE} GRU is used,
 * so every gate is an op on the tape. Run it with
 * {@code java -cp examples/target/examples.jar dev.tapegrad.examples.Parity}.
 */
public final class Parity {

  /** Bits per string. */
  static final int LENGTH = 5;
  /** GRU width. */
  static final int HIDDEN = 12;
  /** Adam's step size. */
  static final float LEARNING_RATE = 0.05f;

  /**
   * What a run learned.
   *
   * @param losses the loss after each step, the mean over the lengths (nats)
   * @param accuracy the share of all {@code 2^LENGTH} strings of the full length classified correctly
   */
  public record Result(List<Double> losses, double accuracy) {
    /**
     * Copies the list.
     *
     * @param losses the loss after each step (nats)
     * @param accuracy the share of strings classified correctly after training
     */
    public Result {
      losses = List.copyOf(losses);
    }
  }

  private Parity() {}

  /**
   * Trains from a seed and prints progress.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    Result r = train(7, 120, System.out);
    System.out.printf("accuracy on all %d strings of %d bits: %.0f%%%n", 1 << LENGTH, LENGTH, 100 * r.accuracy());
  }

  /**
   * Trains a fresh GRU classifier on every bit string of 1 to {@value #LENGTH} bits.
   *
   * @param seed seeds the initial weights
   * @param steps Adam steps to take
   * @param log receives a line every 25 steps, or {@code null} for silence
   * @return the losses and the final accuracy
   */
  public static Result train(long seed, int steps, PrintStream log) {
    // One batch per length: every string of 1, 2, … LENGTH bits. The short ones give a clear
    // gradient early; the long ones then only need the same flip applied more often.
    List<Variable> inputs = new ArrayList<>();
    List<int[]> parities = new ArrayList<>();
    for (int length = 1; length <= LENGTH; length++) {
      inputs.add(Variable.constant(oneHotBits(length)));
      parities.add(parities(length));
    }

    SplittableRandom random = new SplittableRandom(seed);
    Recurrent gru = Recurrent.create(CellKind.GRU, 2, HIDDEN, 1, random);
    Linear classifier = Linear.create(HIDDEN, 2, random);
    // the two layers registered under the names their parameters go by: gru.weight_ih_l0 … classifier.bias
    Module model = new AbstractModule() {
      {
        register("gru", gru);
        register("classifier", classifier);
      }
    };
    Adam adam = Adam.builder().lr(LEARNING_RATE).build(model.namedParameters());

    List<Double> losses = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      adam.zeroGrad();
      Tape tape = new Tape();
      // the loss is the sum over lengths of each length's mean cross-entropy
      Variable total = null;
      for (int k = 0; k < LENGTH; k++) {
        Variable loss = SoftmaxCrossEntropy.apply(tape, logits(tape, gru, classifier, inputs.get(k)), parities.get(k));
        total = total == null ? loss : Add.apply(tape, total, loss);
      }
      tape.backward(total);
      adam.step();
      double meanLoss = total.value().item() / LENGTH;
      losses.add(meanLoss);
      if (log != null && step % 25 == 0) {
        log.printf("step %4d  loss %.4f%n", step, meanLoss);
      }
    }

    // Accuracy on the longest strings only, which is the task.
    Tape tape = new Tape();
    int count = 1 << LENGTH;
    int[] parity = parities.get(LENGTH - 1);
    int right = 0;
    try (Tape.NoGrad off = tape.noGrad()) {
      float[] scores = logits(tape, gru, classifier, inputs.get(LENGTH - 1)).value().data();
      for (int s = 0; s < count; s++) {
        int predicted = scores[2 * s + 1] > scores[2 * s] ? 1 : 0;
        right += predicted == parity[s] ? 1 : 0;
      }
    }
    return new Result(losses, (double) right / count);
  }

  /** {@return every string of {@code length} bits, one-hot: x[s, t, :] is [1, 0] for a zero, [0, 1] for a one} */
  private static Tensor oneHotBits(int length) {
    Tensor x = Tensor.zeros(1 << length, length, 2);
    for (int s = 0; s < 1 << length; s++) {
      for (int t = 0; t < length; t++) {
        x.set(1f, s, t, (s >> t) & 1);
      }
    }
    return x;
  }

  /** {@return the parity of every string of {@code length} bits, in the order of {@link #oneHotBits}} */
  private static int[] parities(int length) {
    int[] parity = new int[1 << length];
    for (int s = 0; s < parity.length; s++) {
      parity[s] = Integer.bitCount(s) & 1;
    }
    return parity;
  }

  /** The classifier's two scores for each string, read from the GRU's final hidden state. */
  private static Variable logits(Tape tape, Recurrent gru, Linear classifier, Variable input) {
    Recurrent.Output out = gru.forward(tape, input, null, Implementation.REFERENCE);
    // many-to-one: only the last step's state h_L (layer 0's final state) is read
    Variable last = out.states().get(0).h();
    return classifier.forward(tape, last);
  }
}
