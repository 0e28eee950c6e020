package dev.tapegrad.bench;

import static dev.tapegrad.bench.OpGradientProperties.uniform;
import static dev.tapegrad.bench.PropertyCheck.forAll;
import static dev.tapegrad.bench.PropertyCheck.param;

import dev.tapegrad.autograd.GradCheck;
import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.BinaryCrossEntropyWithLogits;
import dev.tapegrad.ops.CrossEntropy;
import dev.tapegrad.ops.LayerNorm;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.MseLoss;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Reduction;
import dev.tapegrad.tensor.Tensor;
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

  /** A shape of rank {@code rank} (1 to 3): leading sizes d0, d1 as the rank allows, then {@code last}. */
  private static int[] leadingThen(PropertyCheck.Case c, int last) {
    int rank = c.get("rank");
    int[] dims = new int[rank];
    for (int d = 0; d < rank - 1; d++) {
      dims[d] = c.get("d" + d);
    }
    dims[rank - 1] = last;
    return dims;
  }

  @Test
  void linearGradientsMatchFiniteDifferencesOverLeadingDimensions() {
    forAll(20262202L, TRIES, List.of(param("rank", 1, 3), param("d0", 1, 3), param("d1", 1, 3), param("in", 1, 6),
        param("out", 1, 6), param("bias", 0, 1)), c -> {
          SplittableRandom r = c.random();
          Variable x = uniform("x", r, 1f, leadingThen(c, c.get("in")));
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

  /** The reduction a case's {@code reduction} parameter (0 to 2) names. */
  private static Reduction reduction(PropertyCheck.Case c) {
    return Reduction.values()[c.get("reduction")];
  }

  @Test
  void crossEntropyGradientsMatchFiniteDifferencesWithIgnoredTargetsAndSmoothing() {
    // logits of rank 1 to 3 over 2–6 classes; each target ignored with probability ignorePercent;
    // the ignore index is −100, or class 0 itself (then every target 0 is left out); smoothing
    // ε = 0, 0.1, …, 1; every reduction. A mean needs one target kept (else it is NaN, as PyTorch's).
    forAll(20262204L, TRIES, List.of(param("rank", 1, 3), param("d0", 1, 3), param("d1", 1, 3),
        param("classes", 2, 6), param("ignorePercent", 0, 60), param("ignoreClassZero", 0, 1),
        param("smoothingTenths", 0, 10), param("reduction", 0, 2)), c -> {
          SplittableRandom r = c.random();
          Variable logits = uniform("logits", r, 3f, leadingThen(c, c.get("classes")));
          int rows = logits.value().size() / c.get("classes");
          int ignoreIndex = c.flag("ignoreClassZero") ? 0 : CrossEntropy.DEFAULT_IGNORE_INDEX;
          int[] targets = r.ints(rows, 0, c.get("classes")).toArray();
          boolean anyKept = false;
          for (int i = 0; i < rows; i++) {
            if (r.nextInt(100) < c.get("ignorePercent")) {
              targets[i] = ignoreIndex;
            }
            anyKept |= targets[i] != ignoreIndex;
          }
          if (!anyKept) {
            targets[0] = c.get("classes") - 1;
          }
          float smoothing = c.get("smoothingTenths") / 10f;
          Reduction reduction = reduction(c);
          check(tape -> CrossEntropy.apply(tape, logits, targets, ignoreIndex, smoothing, reduction), logits);
        });
  }

  @Test
  void mseLossGradientsMatchFiniteDifferences() {
    // both operands need a gradient; the second check is the diamond (s − s²)² through one
    // variable, with s in [−1, 1]: from [−2, 2] its terms reach 36, and the float rounding of their
    // sum, over a step of 1e-3, is then as large as the smallest gradients
    forAll(20262205L, TRIES, List.of(param("rows", 1, 4), param("cols", 1, 6), param("reduction", 0, 2)), c -> {
      SplittableRandom r = c.random();
      Variable x = uniform("x", r, 2f, c.get("rows"), c.get("cols"));
      Variable y = uniform("y", r, 2f, c.get("rows"), c.get("cols"));
      Reduction reduction = reduction(c);
      check(tape -> MseLoss.apply(tape, x, y, reduction), x, y);
      Variable s = uniform("s", r, 1f, c.get("rows"), c.get("cols"));
      check(tape -> MseLoss.apply(tape, s, Mul.apply(tape, s, s), reduction), s);
    });
  }

  @Test
  void binaryCrossEntropyWithLogitsGradientsMatchFiniteDifferences() {
    // logits in [−4, 4], targets in [0, 1] (soft labels included), with or without a positive
    // weight per class in [0.5, 3]; the target's gradient is checked too
    forAll(20262206L, TRIES, List.of(param("rows", 1, 4), param("cols", 1, 6), param("posWeight", 0, 1),
        param("reduction", 0, 2)), c -> {
          SplittableRandom r = c.random();
          Variable x = uniform("x", r, 4f, c.get("rows"), c.get("cols"));
          Variable y = Variable.parameter("y", Tensor.uniform(r, 0f, 1f, c.get("rows"), c.get("cols")));
          Tensor w = c.flag("posWeight") ? Tensor.uniform(r, 0.5f, 3f, c.get("cols")) : null;
          Reduction reduction = reduction(c);
          check(tape -> BinaryCrossEntropyWithLogits.apply(tape, x, y, w, reduction), x, y);
        });
  }

  private static void check(Function<Tape, Variable> f, Variable... inputs) {
    GradCheck.check(f, List.of(inputs)).orThrow();
  }
}
