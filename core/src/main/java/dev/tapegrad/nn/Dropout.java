package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Dropout as a layer, {@code torch.nn.Dropout(p)}: in training mode each element is zeroed with
 * probability p and the others scaled by 1 / (1 − p) ({@link dev.tapegrad.ops.Dropout}); in
 * evaluation mode the input passes through unchanged. A new layer is in training mode, as a new
 * PyTorch module is. It has no parameters.
 *
 * <pre>{@code
 * Dropout drop = Dropout.create(0.1f, new SplittableRandom(7));
 * Variable h = drop.forward(tape, x);   // training: elements dropped
 * drop.train(false);                    // PyTorch's drop.eval()
 * Variable same = drop.forward(tape, x);   // x itself
 * }</pre>
 *
 * <p>Note: the mode belongs to this layer; {@link #train(boolean)} switches this layer only.
 */
public final class Dropout implements Module {

  private final float p;
  private final RandomGenerator random;
  private boolean training = true;

  private Dropout(float p, RandomGenerator random) {
    this.p = p;
    this.random = random;
  }

  /**
   * Returns a dropout layer in training mode.
   *
   * @param p the probability of zeroing an element, in [0, 1)
   * @param random the source of the masks, drawn from at every forward in training mode
   * @return the layer
   * @throws IllegalArgumentException naming p if p is not in [0, 1) (NaN included)
   * @throws NullPointerException if {@code random} is null
   */
  public static Dropout create(float p, RandomGenerator random) {
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1), got p = " + p);
    }
    return new Dropout(p, Objects.requireNonNull(random, "Dropout: random must not be null"));
  }

  /**
   * Applies dropout in training mode, or returns x itself in evaluation mode.
   *
   * @param tape the tape to record on
   * @param x the input, any shape
   * @return x with elements dropped (training) or x (evaluation)
   */
  public Variable forward(Tape tape, Variable x) {
    return training ? dev.tapegrad.ops.Dropout.apply(tape, x, p, random) : x;
  }

  /**
   * Sets training mode ({@code true}) or evaluation mode ({@code false}), PyTorch's
   * {@code module.train(mode)}; {@code train(false)} is PyTorch's {@code module.eval()}.
   *
   * @param mode whether to drop elements
   * @return this layer
   */
  public Dropout train(boolean mode) {
    training = mode;
    return this;
  }

  /** {@return whether the layer is in training mode (drops elements)} */
  public boolean isTraining() {
    return training;
  }

  /** {@return p, the probability of zeroing an element in training mode} */
  public float p() {
    return p;
  }
}
