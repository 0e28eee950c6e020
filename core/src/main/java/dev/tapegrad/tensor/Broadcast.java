package dev.tapegrad.tensor;

/**
 * Broadcasting, NumPy's and PyTorch's rule for the two operands of an elementwise op, and the
 * index maps it implies. Public so that your own ops broadcast exactly like the built-in ones.
 *
 * <p><b>The rule.</b> Align the two shapes at their last dimension; a dimension one shape lacks
 * counts as 1. Two dimensions fit when they are equal or one of them is 1, and the result takes
 * the larger. So a rank-0 scalar fits any shape, and a size-1 dimension stretches on either side:
 * <pre>
 *   (2, 3) and (3)       → (2, 3)      a row, repeated for every row
 *   (2, 3) and (2, 1)    → (2, 3)      a column, repeated for every column
 *   (4, 1) and (1, 3)    → (4, 3)      both stretch
 *   (2, 3) and ()        → (2, 3)      a scalar
 *   (2, 3) and (2)       → error: 3 and 2 do not fit
 * </pre>
 *
 * <p><b>The index maps.</b> The output is walked, in row-major order, as {@link #runs()} runs of
 * {@link #inner()} consecutive elements. Within a run each operand either moves along with the
 * output (step 1) or stays on one element (step 0: broadcast), so
 * <pre>
 *   out[r·inner + j]  reads  a[aOffset(r) + j·aStep]  and  b[bOffset(r) + j·bStep]
 * </pre>
 * Runs are as long as the shapes allow: equal shapes are one run, a row bias one run per row.
 * {@link #a(int)} and {@link #b(int)} give the same indices one output element at a time.
 *
 * <p><b>Gradients.</b> An operand read at several output positions receives the sum of their
 * gradients: backward accumulates {@code dA[a(i)] += …} over every output element i, which sums
 * over the broadcast dimensions.
 *
 * <pre>{@code
 * Broadcast bc = Broadcast.of("MyOp", a.shape(), b.shape());
 * Tensor out = Tensor.zeros(bc.shape());
 * for (int i = 0; i < bc.size(); i++) {
 *   out.data()[i] = Math.max(a.value().data()[bc.a(i)], b.value().data()[bc.b(i)]);
 * }
 * }</pre>
 */
public final class Broadcast {

  private final Shape shape;
  private final int inner;
  private final int aStep;
  private final int bStep;
  private final int[] aOffsets;
  private final int[] bOffsets;

  private Broadcast(Shape shape, int inner, int aStep, int bStep, int[] aOffsets, int[] bOffsets) {
    this.shape = shape;
    this.inner = inner;
    this.aStep = aStep;
    this.bStep = bStep;
    this.aOffsets = aOffsets;
    this.bOffsets = bOffsets;
  }

  /**
   * Returns the shape two operands broadcast to ({@code torch.broadcast_shapes}).
   *
   * @param op the op's name, for the message
   * @param a the first operand's shape
   * @param b the second operand's shape
   * @return the result's shape
   * @throws IllegalArgumentException naming the op, both shapes and the dimension that does not fit
   */
  public static Shape shape(String op, Shape a, Shape b) {
    int rank = Math.max(a.rank(), b.rank());
    int[] dims = new int[rank];
    for (int d = 1; d <= rank; d++) {
      // dimension −d of each shape, 1 where the shape has fewer dimensions
      int da = d <= a.rank() ? a.dim(-d) : 1;
      int db = d <= b.rank() ? b.dim(-d) : 1;
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " do not broadcast: dimension -" + d
            + " is " + da + " against " + db + " (each must be equal or 1)");
      }
      // the one that is not 1 (so 1 against 0 gives 0, an empty result, as in PyTorch)
      dims[rank - d] = da == 1 ? db : da;
    }
    return Shape.of(dims);
  }

  /**
   * Returns the broadcast of two operands: the result's shape and where each output element reads
   * each operand.
   *
   * @param op the op's name, for the message
   * @param a the first operand's shape
   * @param b the second operand's shape
   * @return the index maps
   * @throws IllegalArgumentException naming the op and both shapes if they do not broadcast
   */
  public static Broadcast of(String op, Shape a, Shape b) {
    Shape out = shape(op, a, b);
    if (out.size() == 0) {
      // a zero-size result: no runs, nothing to read
      return new Broadcast(out, 1, 0, 0, new int[0], new int[0]);
    }
    int rank = out.rank();
    int[] dims = out.dims();
    int[] aStrides = strides(a, rank);
    int[] bStrides = strides(b, rank);
    // A dimension of size 1 changes no index, so it never ends a run. The innermost other dimension
    // decides each operand's step; the run then grows outwards while every operand keeps its
    // pattern (moving on contiguously with step 1, or staying put with step 0).
    int split = rank;
    while (split > 0 && dims[split - 1] == 1) {
      split--;
    }
    int aStep = split > 0 && aStrides[split - 1] != 0 ? 1 : 0;
    int bStep = split > 0 && bStrides[split - 1] != 0 ? 1 : 0;
    int inner = 1;
    while (split > 0
        && (dims[split - 1] == 1 || aStrides[split - 1] == aStep * inner && bStrides[split - 1] == bStep * inner)) {
      inner *= dims[split - 1];
      split--;
    }
    // The runs, in row-major order over the outer dimensions [0, split): each operand's offset.
    int runs = out.size() / inner;
    int[] aOffsets = new int[runs];
    int[] bOffsets = new int[runs];
    int[] index = new int[split];
    for (int r = 0; r < runs; r++) {
      for (int d = 0; d < split; d++) {
        aOffsets[r] += index[d] * aStrides[d];
        bOffsets[r] += index[d] * bStrides[d];
      }
      // next outer index: the odometer
      for (int d = split - 1; d >= 0 && ++index[d] == dims[d]; d--) {
        index[d] = 0;
      }
    }
    return new Broadcast(out, inner, aStep, bStep, aOffsets, bOffsets);
  }

  /**
   * An operand's element strides, right-aligned to {@code rank} dimensions, with 0 wherever it is
   * broadcast (a dimension it lacks or has as 1).
   */
  private static int[] strides(Shape s, int rank) {
    int[] strides = new int[rank];
    int stride = 1;
    for (int d = 1; d <= s.rank(); d++) {
      int size = s.dim(-d);
      strides[rank - d] = size == 1 ? 0 : stride;
      stride *= size;
    }
    return strides;
  }

  /** {@return the result's shape} */
  public Shape shape() {
    return shape;
  }

  /** {@return the result's element count} */
  public int size() {
    return aOffsets.length * inner;
  }

  /** {@return how many runs the output is walked as} */
  public int runs() {
    return aOffsets.length;
  }

  /** {@return the elements per run} */
  public int inner() {
    return inner;
  }

  /** {@return how far a's index moves per output element within a run: 1, or 0 where a is broadcast} */
  public int aStep() {
    return aStep;
  }

  /** {@return how far b's index moves per output element within a run: 1, or 0 where b is broadcast} */
  public int bStep() {
    return bStep;
  }

  /** {@return the index in a of each run's first element, one per run (a copy)} */
  public int[] aOffsets() {
    return aOffsets.clone();
  }

  /** {@return the index in b of each run's first element, one per run (a copy)} */
  public int[] bOffsets() {
    return bOffsets.clone();
  }

  /**
   * Returns where output element i reads a.
   *
   * @param i a flat, row-major index into the output
   * @return the flat index into a
   */
  public int a(int i) {
    return aOffsets[i / inner] + i % inner * aStep;
  }

  /**
   * Returns where output element i reads b.
   *
   * @param i a flat, row-major index into the output
   * @return the flat index into b
   */
  public int b(int i) {
    return bOffsets[i / inner] + i % inner * bStep;
  }

  @Override
  public String toString() {
    return "Broadcast" + shape + "[" + runs() + " runs of " + inner + ", steps " + aStep + " and " + bStep + "]";
  }
}
