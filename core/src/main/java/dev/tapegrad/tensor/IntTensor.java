package dev.tapegrad.tensor;

import java.util.Arrays;

/**
 * An immutable tensor of {@code int} indices with a shape: what PyTorch's integer ("long")
 * tensors are to {@code index_select}, {@code gather}, {@code scatter_add} and
 * {@code nn.Embedding}.
 *
 * <p>Tapegrad's {@link Tensor} holds floats and takes gradients; indices do neither, so they
 * have their own small type. It is immutable: {@link #of} copies the values in and
 * {@link #toArray()} copies them out, so an op may keep an index tensor for backward without
 * copying it, and no later write can change the gradient it computes.
 *
 * <pre>{@code
 * IntTensor ids = IntTensor.of(new int[] {3, 1, 4, 1, 5, 9}, 2, 3);   // (2, 3)
 * ids.get(1, 2);                                                     // 9
 * IntTensor flat = IntTensor.of(new int[] {0, 2});                   // (2)
 * }</pre>
 */
public final class IntTensor {

  private final int[] values;
  private final Shape shape;

  private IntTensor(int[] values, Shape shape) {
    this.values = values;
    this.shape = shape;
  }

  /**
   * Returns an index tensor holding a copy of {@code values}, row-major.
   *
   * @param values the indices, outermost dimension first
   * @param dims the shape; with no dimensions, a 1-D tensor of {@code values.length}
   * @return the index tensor
   * @throws IllegalArgumentException if the element count does not match the shape
   */
  public static IntTensor of(int[] values, int... dims) {
    Shape shape = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
    if (shape.size() != values.length) {
      throw new IllegalArgumentException(
          values.length + " indices do not fill shape " + shape + " (" + shape.size() + " elements)");
    }
    return new IntTensor(values.clone(), shape);
  }

  /**
   * Returns a rank-0 index tensor, one index with no dimensions.
   *
   * @param value the index
   * @return the index tensor, shape {@code []}
   */
  public static IntTensor scalar(int value) {
    return new IntTensor(new int[] {value}, Shape.of());
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
   * Returns one dimension's size; negative indices count from the end.
   *
   * @param axis the dimension, from {@code -rank()} to {@code rank() - 1}
   * @return its size
   */
  public int dim(int axis) {
    return shape.dim(axis);
  }

  /** {@return the number of indices} */
  public int size() {
    return values.length;
  }

  /**
   * Returns one index.
   *
   * @param index one coordinate per dimension
   * @return the value there
   * @throws IllegalArgumentException if the coordinate count is not the rank
   * @throws IndexOutOfBoundsException if a coordinate is out of range
   */
  public int get(int... index) {
    if (index.length != shape.rank()) {
      throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
          + " coordinates; shape " + shape + " has " + shape.rank());
    }
    int offset = 0;
    for (int d = 0; d < index.length; d++) {
      if (index[d] < 0 || index[d] >= shape.dim(d)) {
        throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of range for shape " + shape);
      }
      offset = offset * shape.dim(d) + index[d];
    }
    return values[offset];
  }

  /** {@return a copy of the indices, row-major} */
  public int[] toArray() {
    return values.clone();
  }

  /** {@return the shape and, for small tensors, the values} */
  @Override
  public String toString() {
    return "IntTensor" + shape + (values.length <= 16 ? Arrays.toString(values) : "");
  }
}
