package dev.tapegrad.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A dense float32 array with a shape: row-major, contiguous, zero offset.
 *
 * <p>A tensor is a plain container. It knows nothing of gradients; {@code dev.tapegrad.autograd}
 * pairs a tensor with its gradient. Its values are mutable through {@link #data()} so that
 * optimizers and kernels can work in place, but its shape never changes ({@link #reshape} returns
 * a new tensor sharing the same storage, like {@code torch.Tensor.view}).
 *
 * <p>Every storage counts its in-place changes ({@link #version()}, PyTorch's version counter):
 * {@link #set}, {@link #copyFrom} and {@link #fillZero} count themselves, and code that writes
 * through {@link #data()} (an optimizer's update, your own loop) calls {@link #markModified()}. A
 * tape notes the version of every value an op read, and refuses to back-propagate through values
 * changed since (see {@code dev.tapegrad.autograd.Tape#backward}). Note: a write through
 * {@code data()} without {@code markModified()} goes unnoticed, as a write through PyTorch's
 * {@code .data} does; and two tensors {@link #wrap wrapped} around one array count apart.
 *
 * <p>There is no value {@code equals}: floating-point tensors are compared with a tolerance
 * ({@link AllClose}).
 *
 * <pre>{@code
 * Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
 * a.get(1, 2);                                  // 6.0
 * Tensor w = Tensor.uniform(new SplittableRandom(42), -0.1f, 0.1f, 4, 3);
 * Tensor z = Tensor.zeros(4);
 * }</pre>
 */
public final class Tensor {

  private final float[] data;
  private final Shape shape;
  private final int[] strides;
  private final Version version;

  /**
   * The in-place change count of one storage, shared by every tensor that views it, and whether
   * the storage went back to the {@link TensorArena} that lent it.
   */
  private static final class Version {
    private long count;
    private boolean reclaimed;
  }

  private Tensor(float[] data, Shape shape) {
    this(data, shape, new Version());
  }

  private Tensor(float[] data, Shape shape, Version version) {
    this.data = data;
    this.shape = shape;
    this.version = version;
    int[] dims = shape.dims();
    this.strides = new int[dims.length];
    int stride = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= dims[i];
    }
  }

  /**
   * Returns a tensor of zeros.
   *
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor zeros(int... dims) {
    Shape shape = Shape.of(dims);
    return new Tensor(new float[shape.size()], shape);
  }

  /**
   * Returns a tensor of zeros with the given shape.
   *
   * @param shape the shape
   * @return a new tensor
   */
  public static Tensor zeros(Shape shape) {
    return new Tensor(new float[shape.size()], shape);
  }

  /**
   * Returns a tensor filled with one value.
   *
   * @param value every element's value
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor full(float value, int... dims) {
    Tensor t = zeros(dims);
    Arrays.fill(t.data, value);
    return t;
  }

  /**
   * Returns a tensor filled with one value, rounded to float (so {@code Tensor.full(0.1, 3)}
   * compiles).
   *
   * @param value every element's value
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor full(double value, int... dims) {
    return full((float) value, dims);
  }

  /**
   * Returns a tensor holding a copy of {@code values}, row-major.
   *
   * @param values the elements, outermost dimension first
   * @param dims the shape; with no dimensions, a 1-D tensor of {@code values.length}
   * @return a new tensor
   * @throws IllegalArgumentException if the element count does not match the shape
   */
  public static Tensor of(float[] values, int... dims) {
    Shape shape = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
    if (shape.size() != values.length) {
      throw new IllegalArgumentException(
          values.length + " values do not fill shape " + shape + " (" + shape.size() + " elements)");
    }
    return new Tensor(values.clone(), shape);
  }

  /**
   * Returns a tensor that uses {@code values} as its storage, without copying. Kernels and
   * optimizers that own their buffers use this; everyone else should prefer {@link #of}.
   *
   * @param values the storage, row-major
   * @param shape the shape, whose size must equal {@code values.length}
   * @return a tensor backed by {@code values}
   */
  public static Tensor wrap(float[] values, Shape shape) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException(
          values.length + " values do not fill shape " + shape + " (" + shape.size() + " elements)");
    }
    return new Tensor(values, shape);
  }

  /**
   * Returns a tensor over storage that a {@link TensorArena} lends, zero-filled by the arena.
   *
   * @param values the storage
   * @param shape the shape, whose size is {@code values.length}
   * @return the tensor
   */
  static Tensor lent(float[] values, Shape shape) {
    return wrap(values, shape);
  }

  /**
   * Takes this tensor's storage back for its arena: from now on this tensor, and every view of
   * its storage, refuses to be read or written.
   *
   * @return the storage, for the arena to lend again
   */
  float[] reclaim() {
    version.reclaimed = true;
    return data;
  }

  /**
   * Returns a scalar: a rank-0 tensor of one element, such as a loss.
   *
   * @param value the element
   * @return a new tensor of shape {@code []}
   */
  public static Tensor scalar(float value) {
    return new Tensor(new float[] {value}, Shape.of());
  }

  /**
   * Returns a scalar holding {@code value} rounded to float.
   *
   * @param value the element
   * @return a new tensor of shape {@code []}
   */
  public static Tensor scalar(double value) {
    return scalar((float) value);
  }

  /**
   * Returns a tensor of values drawn uniformly from {@code [low, high)}.
   *
   * @param random the generator; the only source of randomness, so a seeded generator gives
   *     the same tensor every time
   * @param low the inclusive lower bound
   * @param high the exclusive upper bound
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor uniform(RandomGenerator random, float low, float high, int... dims) {
    Objects.requireNonNull(random, "random");
    Tensor t = zeros(dims);
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = low + (high - low) * random.nextFloat();
    }
    return t;
  }

  /**
   * Returns a tensor of values drawn uniformly from {@code [low, high)}, the bounds rounded to
   * float; the same draws as {@link #uniform(RandomGenerator, float, float, int...)}.
   *
   * @param random the generator (the only source of randomness)
   * @param low the inclusive lower bound
   * @param high the exclusive upper bound
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor uniform(RandomGenerator random, double low, double high, int... dims) {
    return uniform(random, (float) low, (float) high, dims);
  }

  /**
   * Returns a tensor of values drawn from the normal distribution N(mean, std²).
   *
   * @param random the generator (the only source of randomness)
   * @param mean the mean
   * @param std the standard deviation
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor randn(RandomGenerator random, float mean, float std, int... dims) {
    Objects.requireNonNull(random, "random");
    Tensor t = zeros(dims);
    for (int i = 0; i < t.data.length; i++) {
      t.data[i] = mean + std * (float) random.nextGaussian();
    }
    return t;
  }

  /**
   * Returns a tensor of values drawn from N(mean, std²), mean and std rounded to float; the same
   * draws as {@link #randn(RandomGenerator, float, float, int...)}.
   *
   * @param random the generator (the only source of randomness)
   * @param mean the mean
   * @param std the standard deviation
   * @param dims the shape
   * @return a new tensor
   */
  public static Tensor randn(RandomGenerator random, double mean, double std, int... dims) {
    return randn(random, (float) mean, (float) std, dims);
  }

  /** {@return the shape} */
  public Shape shape() {
    return shape;
  }

  /** {@return the number of dimensions} */
  public int rank() {
    return shape.rank();
  }

  /**
   * Returns one dimension's size; negative indices count from the end, as in PyTorch.
   *
   * @param axis the dimension's index, from {@code -rank()} to {@code rank() - 1}
   * @return its size
   */
  public int dim(int axis) {
    return shape.dim(axis);
  }

  /** {@return the number of elements} */
  public int size() {
    return data.length;
  }

  /**
   * Returns the storage itself (not a copy), row-major. Writes to it change this tensor and every
   * tensor that shares its storage through {@link #reshape}. After writing to a tensor that a
   * recorded op may have read, call {@link #markModified()}.
   *
   * @return the live storage, {@code size()} floats
   */
  public float[] data() {
    return live();
  }

  /** {@return a copy of the values, row-major} */
  public float[] toArray() {
    return live().clone();
  }

  /**
   * Returns one element.
   *
   * @param index one index per dimension
   * @return the value
   */
  public float get(int... index) {
    return live()[offset(index)];
  }

  /**
   * Sets one element.
   *
   * @param value the new value
   * @param index one index per dimension
   */
  public void set(float value, int... index) {
    live()[offset(index)] = value;
    markModified();
  }

  /**
   * Sets one element to {@code value} rounded to float.
   *
   * @param value the new value
   * @param index one index per dimension
   */
  public void set(double value, int... index) {
    set((float) value, index);
  }

  /**
   * Returns how many times this storage was changed in place: by {@link #set}, {@link #copyFrom},
   * {@link #fillZero} or a write through {@link #data()} followed by {@link #markModified()}. Every
   * {@link #reshape} of the storage shares the count.
   *
   * @return the count, 0 for a new tensor
   */
  public long version() {
    return version.count;
  }

  /**
   * Counts one in-place change of the values, made through {@link #data()}. Optimizers call it after
   * each update; so should any code that changes a tensor that a recorded op may have read.
   */
  public void markModified() {
    version.count++;
  }

  /** {@return the single value of a one-element tensor} */
  public float item() {
    if (data.length != 1) {
      throw new IllegalStateException("item() needs one element, but shape " + shape + " has " + data.length);
    }
    return live()[0];
  }

  /**
   * Returns a tensor with another shape over the same storage (no copy). One dimension may be
   * {@code -1}, inferred from the element count as in {@code torch.reshape}.
   *
   * @param dims the new shape; its element count must equal this tensor's
   * @return a view sharing this tensor's storage
   * @throws IllegalArgumentException naming both shapes if the element counts differ
   */
  public Tensor reshape(int... dims) {
    Shape to;
    try {
      to = Shape.inferred(data.length, dims);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot reshape " + shape + " to " + Arrays.toString(dims) + ": "
          + e.getMessage(), e);
    }
    return new Tensor(live(), to, version);
  }

  /** {@return a deep copy} */
  public Tensor copy() {
    return new Tensor(live().clone(), shape);
  }

  /** Sets every element to zero. */
  public void fillZero() {
    Arrays.fill(live(), 0f);
    markModified();
  }

  /**
   * Copies {@code source}'s values into this tensor.
   *
   * @param source a tensor with the same shape
   */
  public void copyFrom(Tensor source) {
    if (!shape.equals(source.shape)) {
      throw new IllegalArgumentException("cannot copy " + source.shape + " into " + shape);
    }
    System.arraycopy(source.live(), 0, live(), 0, data.length);
    markModified();
  }

  /** {@return {@code true} if every element is finite (no NaN, no infinity)} */
  public boolean isFinite() {
    for (float v : live()) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** {@return the shape and, for small tensors, the values} */
  @Override
  public String toString() {
    if (data.length <= 16 && !version.reclaimed) {
      return "Tensor" + shape + Arrays.toString(data);
    }
    return "Tensor" + shape;
  }

  /** Returns the storage, after checking that its arena has not taken it back. */
  private float[] live() {
    if (version.reclaimed) {
      throw new IllegalStateException("this " + shape + " tensor's storage went back to its TensorArena when the next "
          + "tape on that arena started; copy() the values you need to keep past a training step");
    }
    return data;
  }

  private int offset(int[] index) {
    if (index.length != strides.length) {
      throw new IllegalArgumentException(
          "index " + Arrays.toString(index) + " has " + index.length + " coordinates; shape " + shape + " has "
              + strides.length);
    }
    int offset = 0;
    int[] dims = shape.dims();
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= dims[i]) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of range for shape " + shape);
      }
      offset += index[i] * strides[i];
    }
    return offset;
  }
}
