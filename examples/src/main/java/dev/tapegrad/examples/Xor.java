package dev.tapegrad.examples;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.ops.Expr;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A two-layer perceptron learns XOR, the classic function no single linear layer can represent.
 *
 * <pre>
 *   x (4×2) → Linear(2, 8) → tanh → Linear(8, 2) → logits (4×2) → softmax cross-entropy with y
 *   x = [0 0], [0 1], [1 0], [1 1]      y = 0, 1, 1, 0
 * </pre>
 *
 * <p>All four examples form one batch, so each step is one forward, one backward and one Adam
 * update; a few hundred steps take well under a second. Run it with
 * {@code java -cp examples/target/examples.jar dev.tapegrad.examples.Xor}.
 */
public final class Xor {

  /** The four inputs, one row each. */
  static final float[] INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};
  /** The class of each row: 1 when exactly one input is 1. */
  static final int[] LABELS = {0, 1, 1, 0};
  /** Hidden width of the perceptron. */
  static final int HIDDEN = 8;

  /**
   * What a run learned.
   *
   * @param losses the loss after each step (nats)
   * @param predictions the predicted class of each of the four inputs after training
   */
  public record Result(List<Double> losses, List<Integer> predictions) {
    /**
     * Copies the lists.
     *
     * @param losses the loss after each step (nats)
     * @param predictions the predicted class of each of the four inputs after training
     */
    public Result {
      losses = List.copyOf(losses);
      predictions = List.copyOf(predictions);
    }

    /** {@return the share of the four inputs classified correctly} */
    public double accuracy() {
      int right = 0;
      for (int i = 0; i < LABELS.length; i++) {
        right += predictions.get(i) == LABELS[i] ? 1 : 0;
      }
      return (double) right / LABELS.length;
    }
  }

  /**
   * The perceptron: a module whose parameters are named after its fields, {@code hidden.weight} …
   * {@code output.bias}.
   *
   * @param hidden Linear(2, 8)
   * @param output Linear(8, 2)
   */
  record Perceptron(Linear hidden, Linear output) implements Module {

    @Override
    public List<Child> children() {
      return List.of(new Child("hidden", hidden), new Child("output", output));
    }

    /** {@return the logits of each row of x: output(tanh(hidden(x)))} */
    Expr logits(Tape tape, Variable x) {
      return Expr.of(tape, x).then(hidden::forward).tanh().then(output::forward);
    }
  }

  private Xor() {}

  /**
   * Trains from a seed and prints progress.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    Result r = train(42, 300, System.out);
    System.out.printf("predictions %s for labels 0, 1, 1, 0: accuracy %.0f%%%n", r.predictions(), 100 * r.accuracy());
  }

  /**
   * Trains a fresh perceptron.
   *
   * @param seed seeds the initial weights
   * @param steps Adam steps to take
   * @param log receives a line every 50 steps, or {@code null} for silence
   * @return the losses and the final predictions
   */
  public static Result train(long seed, int steps, PrintStream log) {
    SplittableRandom random = new SplittableRandom(seed);
    Perceptron model = new Perceptron(Linear.create(2, HIDDEN, random), Linear.create(HIDDEN, 2, random));
    Adam adam = Adam.builder().lr(0.05).build(model.namedParameters());
    Variable x = Variable.constant(Tensor.of(INPUTS, 4, 2));

    List<Double> losses = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      adam.zeroGrad();
      Tape tape = new Tape();
      Expr loss = model.logits(tape, x).crossEntropy(LABELS);
      loss.backward();
      adam.step();
      losses.add((double) loss.value().item());
      if (log != null && step % 50 == 0) {
        log.printf("step %4d  loss %.4f%n", step, loss.value().item());
      }
    }

    // Inference: the same forward on a tape that records nothing.
    Tape tape = new Tape();
    List<Integer> predictions = new ArrayList<>();
    try (Tape.NoGrad off = tape.noGrad()) {
      float[] logits = model.logits(tape, x).value().data();
      for (int i = 0; i < LABELS.length; i++) {
        // the predicted class is the larger of the row's two logits
        predictions.add(logits[2 * i + 1] > logits[2 * i] ? 1 : 0);
      }
    }
    return new Result(losses, predictions);
  }
}
