package dev.tapegrad.bench;

import static dev.tapegrad.bench.OpGradientProperties.awayFromZero;
import static dev.tapegrad.bench.OpGradientProperties.uniform;
import static dev.tapegrad.bench.PropertyCheck.forAll;
import static dev.tapegrad.bench.PropertyCheck.param;

import dev.tapegrad.autograd.GradCheck;
import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Abs;
import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.Amax;
import dev.tapegrad.ops.Amin;
import dev.tapegrad.ops.Clamp;
import dev.tapegrad.ops.Gelu;
import dev.tapegrad.ops.LogSoftmax;
import dev.tapegrad.ops.LogSumExp;
import dev.tapegrad.ops.MaskedFill;
import dev.tapegrad.ops.Max;
import dev.tapegrad.ops.Maximum;
import dev.tapegrad.ops.Mean;
import dev.tapegrad.ops.Min;
import dev.tapegrad.ops.Minimum;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Softmax;
import dev.tapegrad.ops.Std;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.ops.Var;
import dev.tapegrad.ops.Where;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The elementwise-selection and reduction family's backwards against central finite differences
 * ({@link GradCheck} with its default step and tolerances), over random shapes of rank 0 to 3 (1
 * to 3 where the op needs a dimension), sizes 1 to 4, reduced dimensions drawn as a subset and
 * named positive or negative, kept or not, and broadcasting operands. Seed policy as
 * {@link OpGradientProperties}: one fixed seed per property.
 *
 * <p><b>Kinks and ties are avoided by construction</b>, so that finite differences are defined:
 * the inputs of max, min, amax, amin, var and std are distinct values at least 0.25 apart
 * (shuffled multiples of 0.25, so no two tie and, for two elements, σ is not near its kink at 0);
 * abs's input is away from 0; clamp's input is at least 0.05 from both bounds; maximum's and
 * minimum's operands lie on two interleaved lattices 0.1 apart. The tie and kink rules themselves
 * (first occurrence, split evenly, halves, sign(0) = 0, inclusive bounds) are example tests in
 * core.
 */
class ReductionOpGradientProperties {

  private static final int TRIES = 150;

  /** A shape of rank 0 to 3 with sizes 1 to 4, a subset of its dimensions, and how to name them. */
  private static final List<PropertyCheck.Param> REDUCTION = List.of(param("rank", 0, 3), param("d0", 1, 4),
      param("d1", 1, 4), param("d2", 1, 4), param("dims", 0, 7), param("negative", 0, 1), param("keep", 0, 1));

  /** The same with one dimension, of rank 1 to 3. */
  private static final List<PropertyCheck.Param> ALONG_DIM = List.of(param("rank", 1, 3), param("d0", 1, 4),
      param("d1", 1, 4), param("d2", 1, 4), param("dim", 0, 2), param("negative", 0, 1), param("keep", 0, 1));

  /** Three operands broadcasting to a shape of rank 0 to 3: each drops leading dims and sets some to 1. */
  private static final List<PropertyCheck.Param> BROADCAST_TRIPLE = List.of(param("rank", 0, 3), param("d0", 1, 4),
      param("d1", 1, 4), param("d2", 1, 4), param("aDrop", 0, 3), param("aOnes", 0, 7), param("bDrop", 0, 3),
      param("bOnes", 0, 7), param("cDrop", 0, 3), param("cOnes", 0, 7));

  @Test
  void sumAndMeanOverSeveralDimensionsMatchFiniteDifferences() {
    forAll(20270101L, TRIES, REDUCTION, c -> {
      Variable x = uniform("x", c.random(), 2f, shape(c));
      int[] dims = dims(c);
      boolean keep = c.flag("keep");
      check(tape -> Sum.apply(tape, x, dims, keep), x);
      check(tape -> Mean.apply(tape, x, dims, keep), x);
      // x used twice: x ⊙ mean(x), broadcast back when kept
      if (keep) {
        check(tape -> Mul.apply(tape, x, Mean.apply(tape, x, dims, true)), x);
      }
    });
  }

  @Test
  void amaxAndAminMatchFiniteDifferences() {
    forAll(20270102L, TRIES, REDUCTION, c -> {
      Variable x = distinct("x", c.random(), shape(c));
      int[] dims = dims(c);
      boolean keep = c.flag("keep");
      check(tape -> Amax.apply(tape, x, dims, keep), x);
      check(tape -> Amin.apply(tape, x, dims, keep), x);
    });
  }

  @Test
  void maxAndMinOfEveryElementMatchFiniteDifferences() {
    forAll(20270103L, TRIES, REDUCTION, c -> {
      Variable x = distinct("x", c.random(), shape(c));
      check(tape -> Max.apply(tape, x), x);
      check(tape -> Min.apply(tape, x), x);
    });
  }

  @Test
  void maxAndMinAlongADimensionMatchFiniteDifferences() {
    forAll(20270104L, TRIES, ALONG_DIM, c -> {
      Variable x = distinct("x", c.random(), shape(c));
      int dim = dim(c);
      boolean keep = c.flag("keep");
      check(tape -> Max.apply(tape, x, dim, keep).values(), x);
      check(tape -> Min.apply(tape, x, dim, keep).values(), x);
      // the values used beside x itself: x + max (kept, broadcast back)
      check(tape -> Add.apply(tape, x, Max.apply(tape, x, dim, true).values()), x);
    });
  }

  @Test
  void logSumExpMatchesFiniteDifferences() {
    forAll(20270105L, TRIES, REDUCTION, c -> {
      Variable x = uniform("x", c.random(), 3f, shape(c));
      int[] dims = dims(c);
      boolean keep = c.flag("keep");
      check(tape -> LogSumExp.apply(tape, x, dims, keep), x);
    });
  }

  @Test
  void varAndStdMatchFiniteDifferences() {
    forAll(20270106L, TRIES, concat(REDUCTION, param("correction", 0, 1)), c -> {
      Variable x = distinct("x", c.random(), shape(c));
      int[] dims = dims(c);
      boolean keep = c.flag("keep");
      // a correction of 1 over a single element divides by 0: PyTorch's NaN, not a derivative to check
      int count = Sum.apply(new Tape(), Variable.constant(Tensor.full(1f, shape(c))), dims, false).value().data()[0]
          > 1 ? 1 : 0;
      int correction = Math.min(c.get("correction"), count);
      check(tape -> Var.apply(tape, x, dims, correction, keep), x);
      check(tape -> Std.apply(tape, x, dims, correction, keep), x);
    });
  }

  @Test
  void softmaxAndLogSoftmaxAlongAnyDimensionMatchFiniteDifferences() {
    forAll(20270107L, TRIES, ALONG_DIM, c -> {
      Variable x = uniform("x", c.random(), 3f, shape(c));
      int dim = dim(c);
      check(tape -> Softmax.apply(tape, x, dim), x);
      check(tape -> LogSoftmax.apply(tape, x, dim), x);
      check(tape -> Mul.apply(tape, x, Softmax.apply(tape, x, dim)), x);
    });
  }

  @Test
  void absMatchesFiniteDifferences() {
    forAll(20270108L, TRIES, REDUCTION, c -> {
      Variable x = awayFromZero("x", c.random(), shape(c));
      check(tape -> Abs.apply(tape, x), x);
      check(tape -> Mul.apply(tape, x, Abs.apply(tape, x)), x);
    });
  }

  @Test
  void clampMatchesFiniteDifferences() {
    // bounds −0.5 and 0.5, either left out; inputs at least 0.05 from both
    forAll(20270109L, TRIES, concat(REDUCTION, param("bounds", 0, 2)), c -> {
      SplittableRandom r = c.random();
      Tensor t = Tensor.uniform(r, -2f, 2f, shape(c));
      float[] v = t.data();
      for (int i = 0; i < v.length; i++) {
        while (Math.abs(Math.abs(v[i]) - 0.5f) < 0.05f) {
          v[i] = (float) r.nextDouble(-2, 2);
        }
      }
      Variable x = Variable.parameter("x", t);
      float low = c.get("bounds") == 1 ? Float.NEGATIVE_INFINITY : -0.5f;
      float high = c.get("bounds") == 2 ? Float.POSITIVE_INFINITY : 0.5f;
      check(tape -> Clamp.apply(tape, x, low, high), x);
    });
  }

  @Test
  void maximumAndMinimumOfBroadcastOperandsMatchFiniteDifferences() {
    forAll(20270110L, TRIES, BROADCAST_TRIPLE, c -> {
      SplittableRandom r = c.random();
      // a on multiples of 0.2, b on multiples of 0.2 plus 0.1: never within 0.1 of each other
      Variable a = lattice("a", r, 0f, operand(c, "a"));
      Variable b = lattice("b", r, 0.1f, operand(c, "b"));
      check(tape -> Maximum.apply(tape, a, b), a, b);
      check(tape -> Minimum.apply(tape, a, b), a, b);
    });
  }

  @Test
  void whereOfThreeBroadcastOperandsMatchesFiniteDifferences() {
    forAll(20270111L, TRIES, BROADCAST_TRIPLE, c -> {
      SplittableRandom r = c.random();
      Variable cond = mask(r, operand(c, "c"));
      Variable a = uniform("a", r, 2f, operand(c, "a").dims());
      Variable b = uniform("b", r, 2f, operand(c, "b").dims());
      check(tape -> Where.apply(tape, cond, a, b), a, b);
      // one operand on both sides: the two halves of its gradient meet
      check(tape -> Where.apply(tape, cond, a, Mul.apply(tape, a, a)), a);
    });
  }

  @Test
  void maskedFillMatchesFiniteDifferences() {
    forAll(20270112L, TRIES, BROADCAST_TRIPLE, c -> {
      SplittableRandom r = c.random();
      Variable x = uniform("x", r, 2f, operand(c, "a").dims());
      Variable mask = mask(r, operand(c, "b"));
      check(tape -> MaskedFill.apply(tape, x, mask, -3f), x);
    });
  }

  @Test
  void geluMatchesFiniteDifferences() {
    forAll(20270113L, TRIES, REDUCTION, c -> {
      Variable x = uniform("x", c.random(), 4f, shape(c));
      check(tape -> Gelu.apply(tape, x), x);
      check(tape -> Gelu.apply(tape, x, Gelu.TANH), x);
      check(tape -> Mul.apply(tape, x, Gelu.apply(tape, x)), x);
    });
  }

  private static void check(Function<Tape, Variable> f, Variable... inputs) {
    GradCheck.check(f, List.of(inputs)).orThrow();
  }

  private static List<PropertyCheck.Param> concat(List<PropertyCheck.Param> params, PropertyCheck.Param extra) {
    List<PropertyCheck.Param> all = new ArrayList<>(params);
    all.add(extra);
    return all;
  }

  /** The case's shape: its first {@code rank} sizes. */
  private static int[] shape(PropertyCheck.Case c) {
    int[] dims = new int[c.get("rank")];
    for (int d = 0; d < dims.length; d++) {
      dims[d] = c.get("d" + d);
    }
    return dims;
  }

  /** The dimensions whose bit is set in {@code dims}, negative when {@code negative}; empty reduces all. */
  private static int[] dims(PropertyCheck.Case c) {
    int rank = c.get("rank");
    if (rank == 0) {
      // a scalar takes 0 or −1, or nothing
      return (c.get("dims") & 1) == 0 ? new int[0] : new int[] {c.flag("negative") ? -1 : 0};
    }
    List<Integer> chosen = new ArrayList<>();
    for (int d = 0; d < rank; d++) {
      if ((c.get("dims") >> d & 1) == 1) {
        chosen.add(c.flag("negative") ? d - rank : d);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /** One dimension of the case's shape, negative when {@code negative}. */
  private static int dim(PropertyCheck.Case c) {
    int rank = c.get("rank");
    int d = c.get("dim") % rank;
    return c.flag("negative") ? d - rank : d;
  }

  /** One operand of a broadcast triple: the output's dimensions without the first {@code drop}, 1 where bit d of {@code ones} is set. */
  private static Shape operand(PropertyCheck.Case c, String which) {
    int rank = c.get("rank");
    int drop = Math.min(c.get(which + "Drop"), rank);
    int[] dims = new int[rank - drop];
    for (int d = drop; d < rank; d++) {
      dims[d - drop] = (c.get(which + "Ones") >> d & 1) == 1 ? 1 : c.get("d" + d);
    }
    return Shape.of(dims);
  }

  /** A parameter of distinct values: the multiples 0.25·(i − n/2) in a random order. */
  private static Variable distinct(String name, SplittableRandom r, int... dims) {
    Tensor t = Tensor.zeros(dims);
    float[] v = t.data();
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.25f * (i - v.length / 2);
    }
    // Fisher–Yates
    for (int i = v.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      float s = v[i];
      v[i] = v[j];
      v[j] = s;
    }
    return Variable.parameter(name, t);
  }

  /** A parameter on the lattice {@code 0.2·k + shift}, k from −10 to 10. */
  private static Variable lattice(String name, SplittableRandom r, float shift, Shape shape) {
    Tensor t = Tensor.zeros(shape);
    float[] v = t.data();
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.2f * r.nextInt(-10, 11) + shift;
    }
    return Variable.parameter(name, t);
  }

  /** A constant mask of random ones and zeros. */
  private static Variable mask(SplittableRandom r, Shape shape) {
    Tensor t = Tensor.zeros(shape);
    float[] v = t.data();
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextBoolean() ? 1f : 0f;
    }
    return Variable.constant(t);
  }
}
