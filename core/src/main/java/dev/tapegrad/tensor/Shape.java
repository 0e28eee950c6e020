package dev.tapegrad.tensor;

import java.util.Arrays;

/**
 * The dimensions of a {@link Tensor}, outermost first (row-major).
 *
 * <p>A {@code Shape} is immutable: the constructor and {@link #dims()} copy the array, so no
 * caller can change a shape after the fact. A scalar has no dimensions and one element.
 *
 * <pre>{@code
 * Shape s = Shape.of(2, 3);
 * s.rank();   // 2
 * s.size();   // 6
 * s.dim(-1);  // 3
 * }</pre>
 *
 * @param dims the size of each dimension; every entry must be at least 1
 */
public record Shape(int[] dims) {

  /**
   * Checks and copies the dimensions.
   *
   * @param dims the size of each dimension, outermost first; every entry must be at least 1
   * @throws IllegalArgumentException if a dimension is below 1 or the element count overflows an
   *     {@code int}
   */
  public Shape {
    dims = dims.clone();
    long count = 1;
    for (int d : dims) {
      if (d < 1) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a dimension below 1");
      }
      count *= d;
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
      }
    }
  }

  /**
   * Returns the shape with the given dimensions.
   *
   * @param dims the size of each dimension, outermost first
   * @return the shape
   */
  public static Shape of(int... dims) {
    return new Shape(dims);
  }

  /** {@return a copy of the dimensions} */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** {@return the number of dimensions (0 for a scalar)} */
  public int rank() {
    return dims.length;
  }

  /**
   * Returns one dimension; negative indices count from the end, as in PyTorch.
   *
   * @param axis the dimension's index, from {@code -rank()} to {@code rank() - 1}
   * @return its size
   */
  public int dim(int axis) {
    int a = axis < 0 ? dims.length + axis : axis;
    if (a < 0 || a >= dims.length) {
      throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
    }
    return dims[a];
  }

  /** {@return the number of elements: the product of the dimensions (1 for a scalar)} */
  public int size() {
    int count = 1;
    for (int d : dims) {
      count *= d;
    }
    return count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape other && Arrays.equals(dims, other.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** {@return the dimensions as PyTorch prints them, for example {@code [2, 3]}} */
  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
