package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * x cut into consecutive pieces along one dimension, {@code torch.split(x, split_size_or_sections,
 * dim)}: pieces of one size (the last may be smaller), or of the sizes given.
 *
 * <pre>
 *   piece_t = x[…, c_t : c_t + m_t, …]     c_t = m_0 + … + m_(t−1), along dimension d
 * </pre>
 *
 * <p>Shapes: x (…, n, …); piece t is x's shape with m_t at dimension d. With one size m, there are
 * ⌈n / m⌉ pieces (one empty piece when n is 0); with sizes, they must add up to n.
 *
 * <p>Derivative: each piece is a {@link Narrow} of x, recorded as its own op, so each piece's
 * backward writes its gradient into its own block of dX, and pieces that take no part in the loss
 * add nothing.
 */
public final class Split {

  private Split() {}

  /**
   * Returns x cut into pieces of {@code splitSize} along {@code dim}, the last possibly smaller.
   *
   * <pre>{@code
   * List<Variable> qkv = Split.apply(tape, x, c, -1);   // (B, T, 3C) → three (B, T, C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param splitSize each piece's size along {@code dim}, at least 1 (0 only when that dimension is 0)
   * @param dim the dimension to cut, negative counting from the end
   * @return the pieces, in order
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range or
   *     {@code splitSize} is not positive
   */
  public static List<Variable> apply(Tape tape, Variable x, int splitSize, int dim) {
    int d = Checks.dim("Split", x.shape(), dim);
    int n = x.shape().dim(d);
    if (splitSize < 0 || splitSize == 0 && n != 0) {
      throw new IllegalArgumentException("Split: split size " + splitSize + " must be positive to cut dimension "
          + dim + " (size " + n + ") of shape " + x.shape());
    }
    // ⌈n / m⌉ pieces of m, the last one n − (pieces − 1)·m; one empty piece when n is 0
    int pieces = splitSize == 0 ? 1 : Math.max(1, (n + splitSize - 1) / splitSize);
    int[] sizes = new int[pieces];
    for (int t = 0; t < pieces; t++) {
      sizes[t] = Math.min(splitSize, n - t * splitSize);
    }
    return pieces(tape, x, d, sizes);
  }

  /**
   * Returns x cut into pieces of the given sizes along {@code dim}.
   *
   * <pre>{@code
   * List<Variable> parts = Split.apply(tape, x, new int[] {2, 3}, 0);   // (5, C) → (2, C), (3, C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param sizes each piece's size along {@code dim}, at least 0, adding up to its size
   * @param dim the dimension to cut, negative counting from the end
   * @return the pieces, in order
   * @throws IllegalArgumentException naming the shape and the sizes if they are negative or do
   *     not add up to the dimension's size
   */
  public static List<Variable> apply(Tape tape, Variable x, int[] sizes, int dim) {
    int d = Checks.dim("Split", x.shape(), dim);
    long total = 0;
    for (int m : sizes) {
      if (m < 0) {
        total = -1;
        break;
      }
      total += m;
    }
    if (total != x.shape().dim(d)) {
      throw new IllegalArgumentException("Split: sizes " + Arrays.toString(sizes) + " do not cut dimension " + dim
          + " (size " + x.shape().dim(d) + ") of shape " + x.shape() + " into non-negative pieces");
    }
    return pieces(tape, x, d, sizes.clone());
  }

  /** Narrows x along d into consecutive pieces of the given sizes. */
  private static List<Variable> pieces(Tape tape, Variable x, int d, int[] sizes) {
    List<Variable> pieces = new ArrayList<>(sizes.length);
    int start = 0;
    for (int m : sizes) {
      // piece_t = x[…, c_t : c_t + m_t, …]
      pieces.add(Narrow.apply(tape, x, d, start, m));
      start += m;
    }
    return List.copyOf(pieces);
  }
}
