package dev.tapegrad.ops;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Shape;

/**
 * Shape checks for ops, the built-in ones and yours: each throws an
 * {@link IllegalArgumentException} whose message names the op and the shapes involved. The
 * broadcasting rule of elementwise ops is {@link dev.tapegrad.tensor.Broadcast}.
 *
 * <pre>{@code
 * Checks.requireRank("MyOp", "x", x, 2);          // "MyOp: x must be 2-D, got shape [3]"
 * int d = Checks.dim("MyOp", x.shape(), -1);      // the last dimension's index: 1
 * }</pre>
 */
public final class Checks {

  private Checks() {}

  /**
   * Checks a variable's rank.
   *
   * @param op the op's name
   * @param what the variable's role, such as {@code "weight"}
   * @param v the variable
   * @param rank the rank it must have
   * @throws IllegalArgumentException naming the op, the role and the shape otherwise
   */
  public static void requireRank(String op, String what, Variable v, int rank) {
    if (v.shape().rank() != rank) {
      throw new IllegalArgumentException(op + ": " + what + " must be " + rank + "-D, got shape " + v.shape());
    }
  }

  /**
   * Returns a dimension's index, counting a negative one from the end as PyTorch does.
   *
   * @param op the op's name
   * @param shape the shape
   * @param dim from {@code -rank} to {@code rank − 1}
   * @return the index, from 0 to {@code rank − 1}
   * @throws IllegalArgumentException naming the op, the dimension and the shape if it is out of range
   */
  public static int dim(String op, Shape shape, int dim) {
    int d = dim < 0 ? dim + shape.rank() : dim;
    if (d < 0 || d >= shape.rank()) {
      throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for shape " + shape);
    }
    return d;
  }

  /**
   * Checks that every index names a position of a dimension, as PyTorch's indexing ops do.
   *
   * @param op the op's name
   * @param index the indices, row-major
   * @param shape the indexed tensor's shape
   * @param dim the indexed dimension, from 0 to {@code rank − 1}
   * @throws IllegalArgumentException naming the op, the first bad index, its position, the
   *     dimension and the shape if an index is outside {@code [0, shape.dim(dim))}
   */
  public static void indices(String op, int[] index, Shape shape, int dim) {
    int n = shape.dim(dim);
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= n) {
        throw new IllegalArgumentException(op + ": index " + index[i] + " at position " + i
            + " is out of range for dimension " + dim + " (size " + n + ") of shape " + shape);
      }
    }
  }
}
