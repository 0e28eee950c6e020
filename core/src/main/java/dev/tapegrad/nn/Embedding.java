package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * A lookup table of learned vectors, {@code torch.nn.Embedding}: id i maps to row i of
 * {@code weight} (V×D). Initialised N(0, 1), as PyTorch does.
 *
 * <pre>{@code
 * Embedding encoder = Embedding.create(vocab, vocab, new SplittableRandom(1));
 * Variable x = encoder.forward(tape, new int[] {3, 1, 4});   // 3×vocab
 * Variable y = encoder.forward(tape, IntTensor.of(ids, 2, 5)); // 2×5×vocab
 * }</pre>
 */
public final class Embedding extends AbstractModule {

  private final Variable weight;

  private Embedding(Variable weight) {
    this.weight = register("weight", weight);
  }

  /**
   * Returns a new table with N(0, 1) entries.
   *
   * @param count the number of ids, V
   * @param width the vector width, D
   * @param random the only source of randomness
   * @return the layer
   */
  public static Embedding create(int count, int width, RandomGenerator random) {
    return new Embedding(Variable.parameter("weight", Tensor.randn(random, 0f, 1f, count, width)));
  }

  /**
   * Looks up rows; see {@link dev.tapegrad.ops.Embedding}.
   *
   * @param tape the tape to record on
   * @param ids the ids, each in [0, V)
   * @return one row per id, N×D
   */
  public Variable forward(Tape tape, int[] ids) {
    return dev.tapegrad.ops.Embedding.apply(tape, weight, ids);
  }

  /**
   * Looks up rows for ids of any shape; see {@link dev.tapegrad.ops.Embedding}.
   *
   * <pre>{@code
   * Variable x = tokens.forward(tape, IntTensor.of(ids, batch, steps));   // (B, T, D)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param ids the ids, any shape (…), each in [0, V)
   * @return one row per id, (…, D)
   */
  public Variable forward(Tape tape, IntTensor ids) {
    return dev.tapegrad.ops.Embedding.apply(tape, weight, ids);
  }

  /** {@return the table, V×D} */
  public Variable weight() {
    return weight;
  }
}
