package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Dropout as a layer, {@code torch.nn.Dropout(p)}: in training mode each element is zeroed with
 * probability p and the others scaled by 1 / (1 − p) ({@link dev.tapegrad.ops.Dropout}); in
 * evaluation mode ({@link #eval()}) the input passes unchanged. It has no parameters.
 *
 * <pre>{@code
 * Dropout dropout = Dropout.create(0.1, new SplittableRandom(5));
 * Variable y = dropout.forward(tape, x);   // training: about a tenth of x zeroed
 * dropout.eval();
 * dropout.forward(tape, x);                // evaluation: x itself
 * }</pre>
 *
 * <p>Note: PyTorch draws the masks from its global generator; here they come from the generator
 * given at creation, one draw per element ({@link dev.tapegrad.ops.Dropout#apply}), so a seeded
 * generator gives the same masks run after run.
 */
public final class Dropout extends AbstractModule {

  private final float p;
  private final RandomGenerator random;

  private Dropout(float p, RandomGenerator random) {
    this.p = p;
    this.random = random;
  }

  /**
   * Returns a dropout layer, in training mode.
   *
   * @param p the probability of zeroing an element, in [0, 1)
   * @param random the source of the masks
   * @return the layer
   * @throws IllegalArgumentException naming p if it is not in [0, 1)
   */
  public static Dropout create(double p, RandomGenerator random) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1), got p = " + p);
    }
    return new Dropout((float) p, Objects.requireNonNull(random, "random"));
  }

  /**
   * Applies dropout in training mode; returns x itself in evaluation mode.
   *
   * @param tape the tape to record on
   * @param x the input, any shape
   * @return x with elements dropped (training) or x (evaluation)
   */
  public Variable forward(Tape tape, Variable x) {
    return dev.tapegrad.ops.Dropout.apply(tape, x, isTraining() ? p : 0f, random);
  }

  /** {@return p, the probability of zeroing an element in training mode} */
  public float p() {
    return p;
  }
}
