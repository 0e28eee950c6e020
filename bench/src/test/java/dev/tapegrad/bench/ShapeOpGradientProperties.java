package dev.tapegrad.bench;

import static dev.tapegrad.bench.OpGradientProperties.uniform;
import static dev.tapegrad.bench.PropertyCheck.forAll;
import static dev.tapegrad.bench.PropertyCheck.param;

import dev.tapegrad.autograd.GradCheck;
import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Cat;
import dev.tapegrad.ops.Chunk;
import dev.tapegrad.ops.Embedding;
import dev.tapegrad.ops.Expand;
import dev.tapegrad.ops.Flatten;
import dev.tapegrad.ops.Gather;
import dev.tapegrad.ops.IndexSelect;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Narrow;
import dev.tapegrad.ops.Permute;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.ops.ScatterAdd;
import dev.tapegrad.ops.Select;
import dev.tapegrad.ops.Slice;
import dev.tapegrad.ops.Split;
import dev.tapegrad.ops.Squeeze;
import dev.tapegrad.ops.Stack;
import dev.tapegrad.ops.Transpose;
import dev.tapegrad.ops.Unsqueeze;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The shape and indexing ops' backward against central finite differences ({@link GradCheck}
 * with its default step and tolerances), over random shapes of rank 0 to 3 (1 to 3 where the op
 * needs a dimension), negative dimensions, size-1 dimensions, and zero-size dimensions where
 * PyTorch allows them.
 *
 * <p>Seed policy as in {@link OpGradientProperties}: one fixed seed per property, overridable
 * with {@code -Dtapegrad.properties.seed=N}. A shape is drawn as a rank, four sizes 1–3 and an
 * {@code empty} parameter: when it names one of the dimensions (about one case in five) that
 * dimension is 0. Shrinking drives every parameter to its minimum, so a failure shrinks towards
 * rank 0 or 1, sizes of 1 and a zero-size first dimension.
 *
 * <p>These ops are copies, so their gradients are exact; what the finite differences catch is a
 * gradient written to the wrong place, twice, or not at all. Every property also checks an input
 * used twice (a diamond) or pieces recombined, so an overwrite instead of an accumulation fails.
 */
class ShapeOpGradientProperties {

  private static final int TRIES = 150;

  private static final List<PropertyCheck.Param> SHAPE = List.of(param("rank", 0, 3), param("d0", 1, 3),
      param("d1", 1, 3), param("d2", 1, 3), param("empty", 0, 12));

  /** The drawn shape, with at least {@code minRank} dimensions; the {@code empty}-th is 0 if it exists. */
  private static int[] shape(PropertyCheck.Case c, int minRank) {
    int rank = Math.max(minRank, c.get("rank"));
    int[] dims = new int[rank];
    for (int k = 0; k < rank; k++) {
      dims[k] = c.get("d" + Math.min(k, 2));
    }
    if (c.get("empty") < rank) {
      dims[c.get("empty")] = 0;
    }
    return dims;
  }

  /** The list {@code base} plus more parameters. */
  private static List<PropertyCheck.Param> with(PropertyCheck.Param... more) {
    List<PropertyCheck.Param> all = new ArrayList<>(SHAPE);
    all.addAll(List.of(more));
    return all;
  }

  /** A dimension from the {@code dim} parameter folded into [−rank, rank), negative about half the time. */
  private static int dim(PropertyCheck.Case c, int rank) {
    int raw = c.get("dim");
    int d = raw % rank;
    return raw / rank % 2 == 1 ? d - rank : d;
  }

  @Test
  void narrowGradientsMatchFiniteDifferences() {
    forAll(20261501L, TRIES, with(param("dim", 0, 5), param("start", 0, 6), param("length", 0, 6)), c -> {
      int[] dims = shape(c, 1);
      int d = dim(c, dims.length);
      int n = dims[Math.floorMod(d, dims.length)];
      // fold into a block that fits: 0 ≤ start ≤ n, 0 ≤ length ≤ n − start; an odd draw counts from the end
      int start = c.get("start") % (n + 1);
      int length = c.get("length") % (n - start + 1);
      int given = c.get("start") % 2 == 1 && start > 0 ? start - n : start;
      Variable x = uniform("x", c.random(), 2f, dims);
      check(tape -> Narrow.apply(tape, x, d, given, length), x);
      check(tape -> Mul.apply(tape, Narrow.apply(tape, x, d, given, length), Narrow.apply(tape, x, d, given, length)),
          x);
    });
  }

  @Test
  void sliceGradientsMatchFiniteDifferences() {
    forAll(20261502L, TRIES, with(param("dim", 0, 5), param("start", -5, 5), param("end", -5, 6),
        param("step", 1, 3)), c -> {
          int[] dims = shape(c, 1);
          int d = dim(c, dims.length);
          int end = c.get("end") == 6 ? Integer.MAX_VALUE : c.get("end");
          Variable x = uniform("x", c.random(), 2f, dims);
          check(tape -> Slice.apply(tape, x, d, c.get("start"), end, c.get("step")), x);
        });
  }

  @Test
  void selectGradientsMatchFiniteDifferences() {
    forAll(20261503L, TRIES, with(param("dim", 0, 5), param("index", -3, 2)), c -> {
      int[] dims = shape(c, 1);
      int d = dim(c, dims.length);
      int k = Math.floorMod(d, dims.length);
      dims[k] = Math.max(1, dims[k]);
      // fold the index into [−n, n)
      int index = Math.floorMod(c.get("index"), 2 * dims[k]) - dims[k];
      Variable x = uniform("x", c.random(), 2f, dims);
      check(tape -> Select.apply(tape, x, d, index), x);
    });
  }

  @Test
  void catGradientsMatchFiniteDifferences() {
    forAll(20261504L, TRIES, with(param("dim", 0, 5), param("count", 1, 3), param("n0", 0, 3), param("n1", 0, 3),
        param("n2", 0, 3)), c -> {
          int[] dims = shape(c, 1);
          int d = dim(c, dims.length);
          SplittableRandom r = c.random();
          List<Variable> xs = new ArrayList<>();
          for (int t = 0; t < c.get("count"); t++) {
            dims[Math.floorMod(d, dims.length)] = c.get("n" + t);
            xs.add(uniform("x" + t, r, 2f, dims));
          }
          check(tape -> Cat.apply(tape, xs, d), xs.toArray(new Variable[0]));
          // the first tensor twice: its gradient is the sum of two blocks
          Variable x0 = xs.get(0);
          check(tape -> Cat.apply(tape, List.of(x0, x0), d), x0);
        });
  }

  @Test
  void stackGradientsMatchFiniteDifferences() {
    forAll(20261505L, TRIES, with(param("dim", 0, 7), param("count", 1, 3)), c -> {
      int[] dims = shape(c, 0);
      int rank = dims.length + 1;
      int d = c.get("dim") % rank - (c.get("dim") / rank % 2 == 1 ? rank : 0);
      SplittableRandom r = c.random();
      List<Variable> xs = new ArrayList<>();
      for (int t = 0; t < c.get("count"); t++) {
        xs.add(uniform("x" + t, r, 2f, dims));
      }
      check(tape -> Stack.apply(tape, xs, d), xs.toArray(new Variable[0]));
      Variable x0 = xs.get(0);
      check(tape -> Stack.apply(tape, List.of(x0, x0, x0), d), x0);
    });
  }

  @Test
  void splitAndChunkGradientsMatchFiniteDifferences() {
    // the pieces joined again in reverse order: every piece's gradient must land in its own block
    forAll(20261506L, TRIES, with(param("dim", 0, 5), param("size", 1, 4), param("chunks", 1, 4)), c -> {
      int[] dims = shape(c, 1);
      int d = dim(c, dims.length);
      Variable x = uniform("x", c.random(), 2f, dims);
      check(tape -> Cat.apply(tape, reversed(Split.apply(tape, x, c.get("size"), d)), d), x);
      check(tape -> Cat.apply(tape, reversed(Chunk.apply(tape, x, c.get("chunks"), d)), d), x);
      // only the first piece used: the rest of x receives nothing
      check(tape -> Chunk.apply(tape, x, c.get("chunks"), d).get(0), x);
      int n = dims[Math.floorMod(d, dims.length)];
      int[] sizes = {n / 2, 0, n - n / 2};
      check(tape -> Cat.apply(tape, reversed(Split.apply(tape, x, sizes, d)), d), x);
    });
  }

  @Test
  void permuteAndTransposeGradientsMatchFiniteDifferences() {
    forAll(20261507L, TRIES, with(param("dim", 0, 5), param("other", 0, 5)), c -> {
      int[] dims = shape(c, 0);
      SplittableRandom r = c.random();
      Variable x = uniform("x", r, 2f, dims);
      // a random permutation, each entry negative half the time
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < dims.length; k++) {
        order.add(k);
      }
      Collections.shuffle(order, new java.util.Random(r.nextLong()));
      int[] p = new int[dims.length];
      for (int k = 0; k < p.length; k++) {
        p[k] = r.nextBoolean() ? order.get(k) : order.get(k) - dims.length;
      }
      check(tape -> Permute.apply(tape, x, p), x);
      if (dims.length > 0) {
        int d0 = dim(c, dims.length);
        int d1 = c.get("other") % dims.length;
        check(tape -> Transpose.apply(tape, x, d0, d1), x);
        check(tape -> Mul.apply(tape, x, Transpose.apply(tape, Transpose.apply(tape, x, d0, d1), d1, d0)), x);
      }
    });
  }

  @Test
  void expandGradientsMatchFiniteDifferences() {
    // x's dimensions set to 1 where bit k of ones is set, expanded to the drawn shape plus up to two new ones
    forAll(20261508L, TRIES, with(param("ones", 0, 7), param("lead", 0, 2), param("keep", 0, 1)), c -> {
      int[] target = shape(c, 0);
      int lead = c.get("lead");
      int[] dims = target.clone();
      for (int k = 0; k < dims.length; k++) {
        if ((c.get("ones") >> k & 1) == 1) {
          dims[k] = 1;
        }
      }
      int[] sizes = new int[lead + target.length];
      for (int k = 0; k < sizes.length; k++) {
        int j = k - lead;
        sizes[k] = j < 0 ? k + 2 : c.flag("keep") && dims[j] == target[j] ? -1 : target[j];
      }
      Variable x = uniform("x", c.random(), 2f, dims);
      check(tape -> Expand.apply(tape, x, sizes), x);
    });
  }

  @Test
  void viewOpsGradientsMatchFiniteDifferences() {
    // unsqueeze, squeeze, flatten and reshape with −1 share x's values; each used beside x itself
    forAll(20261509L, TRIES, with(param("dim", 0, 7)), c -> {
      int[] dims = shape(c, 0);
      Variable x = uniform("x", c.random(), 2f, dims);
      int rank = dims.length;
      int u = c.get("dim") % (rank + 1) - (c.get("dim") / (rank + 1) % 2 == 1 ? rank + 1 : 0);
      check(tape -> Mul.apply(tape, Squeeze.apply(tape, Unsqueeze.apply(tape, x, u), u), x), x);
      check(tape -> Reshape.apply(tape, Squeeze.apply(tape, x), dims), x);
      check(tape -> Reshape.apply(tape, Flatten.apply(tape, x, 0, -1), dims), x);
      if (x.value().size() > 0) {
        check(tape -> Mul.apply(tape, Reshape.apply(tape, Reshape.apply(tape, x, -1), dims), x), x);
      }
    });
  }

  @Test
  void indexSelectGradientsMatchFiniteDifferences() {
    forAll(20261510L, TRIES, with(param("dim", 0, 5), param("count", 0, 5)), c -> {
      int[] dims = shape(c, 1);
      int d = dim(c, dims.length);
      int k = Math.floorMod(d, dims.length);
      dims[k] = Math.max(1, dims[k]);
      SplittableRandom r = c.random();
      Variable x = uniform("x", r, 2f, dims);
      // positions drawn with replacement: repeats are common, and their gradients must add
      IntTensor index = IntTensor.of(r.ints(c.get("count"), 0, dims[k]).toArray());
      check(tape -> IndexSelect.apply(tape, x, d, index), x);
    });
  }

  @Test
  void gatherGradientsMatchFiniteDifferences() {
    forAll(20261511L, TRIES, with(param("dim", 0, 5), param("shrink", 0, 7), param("along", 0, 4)), c -> {
      int[] dims = shape(c, 1);
      int d = dim(c, dims.length);
      int k = Math.floorMod(d, dims.length);
      dims[k] = Math.max(1, dims[k]);
      SplittableRandom r = c.random();
      Variable x = uniform("x", r, 2f, dims);
      IntTensor index = randomIndex(r, dims, k, c.get("shrink"), c.get("along"), dims[k]);
      check(tape -> Gather.apply(tape, x, d, index), x);
    });
  }

  @Test
  void scatterAddGradientsMatchFiniteDifferences() {
    forAll(20261512L, TRIES, with(param("dim", 0, 5), param("shrink", 0, 7), param("along", 0, 4),
        param("extra", 0, 1)), c -> {
          int[] dims = shape(c, 1);
          int d = dim(c, dims.length);
          int k = Math.floorMod(d, dims.length);
          dims[k] = Math.max(1, dims[k]);
          SplittableRandom r = c.random();
          Variable x = uniform("x", r, 2f, dims);
          IntTensor index = randomIndex(r, dims, k, c.get("shrink"), c.get("along"), dims[k]);
          // src as large as the index, or one larger in every dimension (those elements are unused)
          int[] srcDims = index.shape().dims();
          for (int j = 0; j < srcDims.length; j++) {
            srcDims[j] += c.get("extra");
          }
          Variable src = uniform("src", r, 2f, srcDims);
          check(tape -> ScatterAdd.apply(tape, x, d, index, src), x, src);
          check(tape -> ScatterAdd.apply(tape, x, d, index, Mul.apply(tape, src, src)), x, src);
        });
  }

  @Test
  void embeddingOverAnyIndexShapeMatchesFiniteDifferences() {
    forAll(20261513L, TRIES, with(param("vocab", 1, 6), param("width", 1, 4)), c -> {
      int[] idDims = shape(c, 0);
      SplittableRandom r = c.random();
      Variable weight = uniform("weight", r, 1f, c.get("vocab"), c.get("width"));
      // ids drawn with replacement, so repeated ids (a scatter-add collision) are common; rank 0 is one id
      int[] values = r.ints(Shape.of(idDims).size(), 0, c.get("vocab")).toArray();
      IntTensor ids = idDims.length == 0 ? IntTensor.scalar(values[0]) : IntTensor.of(values, idDims);
      check(tape -> Embedding.apply(tape, weight, ids), weight);
    });
  }

  /**
   * An index for gather and scatter-add: x's rank, each dimension but k shrunk by bit j of
   * {@code shrink} (by one, not below 0), {@code along} positions along k, values in [0, n).
   */
  private static IntTensor randomIndex(SplittableRandom r, int[] dims, int k, int shrink, int along, int n) {
    int[] indexDims = dims.clone();
    for (int j = 0; j < dims.length; j++) {
      if (j == k) {
        indexDims[j] = along;
      } else if ((shrink >> j & 1) == 1) {
        indexDims[j] = Math.max(0, dims[j] - 1);
      }
    }
    return IntTensor.of(r.ints(Shape.of(indexDims).size(), 0, n).toArray(), indexDims);
  }

  private static List<Variable> reversed(List<Variable> pieces) {
    List<Variable> copy = new ArrayList<>(pieces);
    Collections.reverse(copy);
    return copy;
  }

  private static void check(Function<Tape, Variable> f, Variable... inputs) {
    GradCheck.check(f, List.of(inputs)).orThrow();
  }
}
