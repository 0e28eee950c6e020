package dev.tapegrad.bench;

import static dev.tapegrad.bench.OpGradientProperties.uniform;
import static dev.tapegrad.bench.PropertyCheck.forAll;
import static dev.tapegrad.bench.PropertyCheck.param;

import dev.tapegrad.autograd.GradCheck;
import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.LayerNorm;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.MatMul;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The linear-algebra, normalisation and loss ops of issue 22 against central finite differences
 * ({@link GradCheck} with its default step and tolerances), over random small shapes and values,
 * with the seed policy of {@link OpGradientProperties}: each property has its own fixed seed, the
 * first case is the all-minimum one, and a failure is reported shrunk.
 *
 * <p>Shapes cover what each op allows: matrix products of every rank combination torch.matmul
 * accepts (vectors, matrices, stacks with batch dimensions of size 1 broadcast on either side),
 * Linear over inputs of rank 1 to 3, layer norm over the last one or two dimensions, losses with
 * ignored targets, label smoothing and each reduction.
 */
class NnOpGradientProperties {

  private static final int TRIES = 200;

  /**
   * The shape of a matmul pair: each operand's rank (1 to 4), the sizes M, K, N and three batch
   * sizes, and for each operand which of its batch dimensions are 1 (bits of {@code aOnes},
   * {@code bOnes}); batch dimensions align at the right, as broadcasting does.
   */
  private static final List<PropertyCheck.Param> MATMUL_PAIR = List.of(param("aRank", 1, 4), param("bRank", 1, 4),
      param("m", 1, 4), param("k", 1, 5), param("n", 1, 4), param("b0", 1, 3), param("b1", 1, 3), param("b2", 1, 2),
      param("aOnes", 0, 3), param("bOnes", 0, 3));

  /** One operand of a matmul pair: its batch dimensions, then its matrix (or vector) dimensions. */
  private static int[] matmulOperand(PropertyCheck.Case c, String which, int rows, int cols) {
    int rank = c.get(which + "Rank");
    if (rank == 1) {
      return new int[] {which.equals("a") ? cols : rows};
    }
    int batchRank = rank - 2;
    int[] dims = new int[rank];
    for (int d = 0; d < batchRank; d++) {
      // batch dimension d counted from the right among the (up to) two: size b_j, or 1
      int fromRight = batchRank - 1 - d;
      boolean one = (c.get(which + "Ones") >> fromRight & 1) == 1;
      dims[d] = one ? 1 : c.get("b" + fromRight);
    }
    dims[rank - 2] = rows;
    dims[rank - 1] = cols;
    return dims;
  }

  @Test
  void matMulGradientsMatchFiniteDifferencesForEveryRank() {
    forAll(20262201L, TRIES, MATMUL_PAIR, c -> {
      SplittableRandom r = c.random();
      int m = c.get("m");
      int k = c.get("k");
      int n = c.get("n");
      Variable a = uniform("a", r, 1f, matmulOperand(c, "a", m, k));
      Variable b = uniform("b", r, 1f, matmulOperand(c, "b", k, n));
      check(tape -> MatMul.apply(tape, a, b), a, b);
      // the diamond a → MatMul ← a, where a is square in its last two dimensions
      Variable s = uniform("s", r, 1f, matmulOperand(c, "a", k, k));
      check(tape -> MatMul.apply(tape, s, s), s);
    });
  }

  @Test
  void linearGradientsMatchFiniteDifferencesOverLeadingDimensions() {
    forAll(20262202L, TRIES, List.of(param("rank", 1, 3), param("d0", 1, 3), param("d1", 1, 3), param("in", 1, 6),
        param("out", 1, 6), param("bias", 0, 1)), c -> {
          SplittableRandom r = c.random();
          int rank = c.get("rank");
          int[] dims = new int[rank];
          for (int d = 0; d < rank - 1; d++) {
            dims[d] = c.get("d" + d);
          }
          dims[rank - 1] = c.get("in");
          Variable x = uniform("x", r, 1f, dims);
          Variable w = uniform("weight", r, 1f, c.get("out"), c.get("in"));
          Variable b = c.flag("bias") ? uniform("bias", r, 1f, c.get("out")) : null;
          if (b == null) {
            check(tape -> Linear.apply(tape, x, w, null), x, w);
          } else {
            check(tape -> Linear.apply(tape, x, w, b), x, w, b);
          }
        });
  }

  @Test
  void layerNormGradientsMatchFiniteDifferencesOverTheLastOneOrTwoDimensions() {
    // x (d0, d1, d2), normalised over d2 or over (d1, d2); weight and bias each present or not;
    // the second check is the diamond x ⊙ LayerNorm(x)
    forAll(20262203L, TRIES, List.of(param("d0", 1, 3), param("d1", 1, 4), param("d2", 1, 5), param("twoDims", 0, 1),
        param("weight", 0, 1), param("bias", 0, 1)), c -> {
          SplittableRandom r = c.random();
          int[] normalized = c.flag("twoDims") ? new int[] {c.get("d1"), c.get("d2")} : new int[] {c.get("d2")};
          Variable x = uniform("x", r, 2f, c.get("d0"), c.get("d1"), c.get("d2"));
          Variable w = c.flag("weight") ? uniform("weight", r, 2f, normalized) : null;
          Variable b = c.flag("bias") ? uniform("bias", r, 2f, normalized) : null;
          List<Variable> inputs = new ArrayList<>(List.of(x));
          if (w != null) {
            inputs.add(w);
          }
          if (b != null) {
            inputs.add(b);
          }
          Variable[] all = inputs.toArray(new Variable[0]);
          check(tape -> LayerNorm.apply(tape, x, normalized, w, b, 1e-5f), all);
          check(tape -> Mul.apply(tape, x, LayerNorm.apply(tape, x, normalized, w, b, 1e-5f)), all);
        });
  }

  private static void check(Function<Tape, Variable> f, Variable... inputs) {
    GradCheck.check(f, List.of(inputs)).orThrow();
  }
}
