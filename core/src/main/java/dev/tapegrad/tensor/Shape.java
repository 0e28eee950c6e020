package dev.tapegrad.tensor;

import java.util.Arrays;

/**
 * The dimensions of a {@link Tensor}, outermost first (row-major).
 *
 * <p>A {@code Shape} is immutable: the constructor and {@link #dims()} copy the array, so no
 * caller can change a shape after the fact. A scalar has no dimensions and one element. A
 * dimension may be 0, as in PyTorch: such a shape has no elements (an empty batch, an empty
 * slice), and ops over it give empty results or their identity (the sum of nothing is 0).
 *
 * <pre>{@code
 * Shape s = Shape.of(2, 3);
 * s.rank();   // 2
 * s.size();   // 6
 * s.dim(-1);  // 3
 * }</pre>
 *
 * @param dims the size of each dimension; every entry must be at least 0
 */
public record Shape(int[] dims) {

  /**
   * Checks and copies the dimensions.
   *
   * @param dims the size of each dimension, outermost first; every entry must be at least 0
   * @throws IllegalArgumentException if a dimension is negative or the element count overflows an
   *     {@code int}
   */
  public Shape {
    dims = dims.clone();
    long count = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a negative dimension");
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

  /**
   * Returns the shape of {@code size} elements with the given dimensions, one of which may be
   * {@code -1}: that one is inferred from the others, as in {@code torch.reshape(x, (2, -1))}.
   *
   * <pre>{@code
   * Shape.inferred(6, 2, -1);   // [2, 3]
   * Shape.inferred(6, -1);      // [6]
   * }</pre>
   *
   * @param size the element count the shape must hold
   * @param dims the dimensions, each at least 0 except at most one {@code -1}
   * @return the shape, with {@code size} elements
   * @throws IllegalArgumentException naming the dimensions and the size if there are two
   *     {@code -1}, a dimension below {@code -1}, no way to hold {@code size} elements, or no single
   *     value for the {@code -1} (the others' product is 0)
   */
  public static Shape inferred(int size, int... dims) {
    int[] resolved = dims.clone();
    int unknown = -1;
    long known = 1;
    for (int d = 0; d < resolved.length; d++) {
      if (resolved[d] == -1 && unknown < 0) {
        unknown = d;
      } else if (resolved[d] < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has "
            + (resolved[d] == -1 ? "more than one -1" : "a dimension below -1"));
      } else {
        known *= resolved[d];
      }
    }
    if (unknown >= 0) {
      // the −1 takes whatever the other dimensions leave: size / Π others
      if (known == 0 || size % known != 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " cannot hold " + size + " elements"
            + (known == 0 ? ": the -1 could be any size" : ""));
      }
      resolved[unknown] = (int) (size / known);
    } else if (known != size) {
      throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " does not hold " + size + " elements");
    }
    return new Shape(resolved);
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
