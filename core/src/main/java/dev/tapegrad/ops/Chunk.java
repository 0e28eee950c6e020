package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import java.util.List;

/**
 * x cut into at most {@code chunks} pieces of equal size along one dimension (the last possibly
 * smaller), {@code torch.chunk(x, chunks, dim)}.
 *
 * <pre>
 *   m = ⌈n / chunks⌉,   chunk(x, chunks, d) = split(x, m, d)
 * </pre>
 *
 * <p>Shapes: x (…, n, …); each piece has m at dimension d but the last, which has what is left.
 * As in PyTorch there may be fewer than {@code chunks} pieces (5 in 4 chunks is 2, 2, 1), and a
 * dimension of size 0 gives {@code chunks} empty pieces.
 *
 * <p>Derivative: each piece is a {@link Narrow} of x (through {@link Split}), so each piece's
 * backward writes into its own block of dX.
 */
public final class Chunk {

  private Chunk() {}

  /**
   * Returns x cut into at most {@code chunks} equal pieces along {@code dim}.
   *
   * <pre>{@code
   * List<Variable> halves = Chunk.apply(tape, x, 2, -1);   // (N, 2H) → two (N, H)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param chunks how many pieces at most, at least 1
   * @param dim the dimension to cut, negative counting from the end
   * @return the pieces, in order
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range or
   *     {@code chunks} is not positive
   */
  public static List<Variable> apply(Tape tape, Variable x, int chunks, int dim) {
    int d = Checks.dim("Chunk", x.shape(), dim);
    if (chunks < 1) {
      throw new IllegalArgumentException("Chunk: chunks " + chunks + " must be positive (shape " + x.shape() + ")");
    }
    int n = x.shape().dim(d);
    if (n == 0) {
      // chunks empty pieces: split would give one, since any number of empty pieces adds up to 0
      return Split.apply(tape, x, new int[chunks], d);
    }
    // m = ⌈n / chunks⌉
    return Split.apply(tape, x, (n + chunks - 1) / chunks, d);
  }
}
