package dev.tapegrad.ops;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Shape;

/** Shape checks shared by the ops; every message names the op and both shapes. */
final class Checks {

  private Checks() {}

  /**
   * Returns the length of {@code b}'s repeating unit for an elementwise op: the whole tensor when
   * the shapes are equal, or one row when {@code b} is 1-D and as long as {@code a}'s last
   * dimension (a row-broadcast bias).
   */
  static int broadcastColumns(String op, Variable a, Variable b) {
    Shape sa = a.shape();
    Shape sb = b.shape();
    if (sa.equals(sb)) {
      return sa.size();
    }
    if (sb.rank() == 1 && sa.rank() >= 1 && sa.dim(-1) == sb.dim(0)) {
      return sb.dim(0);
    }
    throw new IllegalArgumentException(op + ": shapes " + sa + " and " + sb
        + " do not match (the second must equal the first, or be 1-D with the first's last dimension)");
  }

  static void requireRank(String op, String what, Variable v, int rank) {
    if (v.shape().rank() != rank) {
      throw new IllegalArgumentException(op + ": " + what + " must be " + rank + "-D, got shape " + v.shape());
    }
  }
}
