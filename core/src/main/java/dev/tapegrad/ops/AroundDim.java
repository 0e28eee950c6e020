package dev.tapegrad.ops;

import dev.tapegrad.tensor.Shape;

/**
 * A tensor viewed as {@code (outer, n, inner)} around one of its dimensions: {@code outer} is the
 * product of the dimensions before it, {@code n} its size, {@code inner} the product of those after
 * it. Element {@code [o, k, i]} of the view sits at {@code (o·n + k)·inner + i} in row-major order,
 * which is how every "along a dimension" kernel walks a tensor. Each size is a product, never a
 * quotient, so a dimension of size 0 anywhere gives an empty view, not a division by zero.
 *
 * @param dim the dimension, counted from the front
 * @param outer the product of the dimensions before it
 * @param n its size
 * @param inner the product of the dimensions after it
 */
record AroundDim(int dim, int outer, int n, int inner) {

  /**
   * Views {@code shape} around {@code dim}.
   *
   * @param op the op's name, for the message
   * @param shape the tensor's shape
   * @param dim the dimension, negative counting from the end
   * @return the view
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  static AroundDim of(String op, Shape shape, int dim) {
    int d = Checks.dim(op, shape, dim);
    int[] dims = shape.dims();
    int outer = 1;
    for (int k = 0; k < d; k++) {
      outer *= dims[k];
    }
    int inner = 1;
    for (int k = d + 1; k < dims.length; k++) {
      inner *= dims[k];
    }
    return new AroundDim(d, outer, dims[d], inner);
  }

}
