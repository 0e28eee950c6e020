package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.SoftmaxDimKernels;
import dev.tapegrad.kernel.SoftmaxKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The softmax over the last dimension ({@code torch.softmax(x, dim=-1)}) or any other
 * ({@code torch.softmax(x, dim)}): each row (each line along the dimension) becomes a probability
 * distribution.
 *
 * <pre>
 *   y[…, v] = e^(x[…, v] − m) / Σ_u e^(x[…, u] − m)      m = max_u x[…, u]
 * </pre>
 *
 * <p>Shapes: x any shape of rank at least 1, (…, C); y the same. Subtracting the row maximum
 * changes nothing mathematically and keeps every exponent at most 0, so large inputs do not
 * overflow.
 *
 * <p>Derivative: {@code ∂y_v/∂x_u = y_v ([u = v] − y_u)}, so
 * {@code dX = y ⊙ (dY − Σ_u dY_u y_u)} row by row. Saved for backward: the output y.
 *
 * <p>Note: for a classifier's loss, {@link SoftmaxCrossEntropy} (or {@link LogSoftmax}) is the
 * stable choice; the log of this op's output underflows to −∞ for very unlikely classes.
 */
public final class Softmax {

  private Softmax() {}

  /**
   * Returns the softmax of each row.
   *
   * <pre>{@code
   * Variable probs = Softmax.apply(tape, logits);   // (N, C), every row sums to 1
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, (…, C)
   * @return the softmax, x's shape
   * @throws IllegalArgumentException if x is a scalar
   */
  public static Variable apply(Tape tape, Variable x) {
    int cols = x.shape().dim(Checks.dim("Softmax", x.shape(), -1));
    int rows = cols == 0 ? 0 : x.shape().size() / cols;
    Tensor y = tape.zeros(x.shape());
    SoftmaxKernels.softmaxForward(x.value().data(), y.data(), rows, cols);
    Variable result = tape.output("Softmax", y, x);
    if (result.requiresGrad()) {
      tape.record("Softmax", result, dOut -> backward(dOut, y, x.gradBuffer(), rows, cols), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX, int rows, int cols) {
    // y = softmax(x)  ⇒  dX += y ⊙ (dY − Σ_u dY_u y_u), row by row
    SoftmaxKernels.softmaxBackward(dOut.data(), y.data(), dX.data(), rows, cols);
  }

  /**
   * Returns the softmax over dimension {@code dim} ({@code torch.softmax(x, dim)}): every
   * line of x along that dimension becomes a probability distribution. The last dimension takes
   * {@link #apply(Tape, Variable)}, the contiguous fast path; any other the same math over x viewed as
   * (outer, n, inner) around the dimension, with the same derivative.
   *
   * <pre>{@code
   * Variable perColumn = Softmax.apply(tape, x, 0);   // (N, C): over the rows of every column
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, of rank at least 1
   * @param dim the dimension, negative counting from the end
   * @return the result, x's shape
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim) {
    int d = Checks.dim("Softmax", x.shape(), dim);
    int[] dims = x.shape().dims();
    if (d == dims.length - 1) {
      return apply(tape, x);
    }
    int n = dims[d];
    int inner = 1;
    for (int k = d + 1; k < dims.length; k++) {
      inner *= dims[k];
    }
    int outer = x.shape().size() / (n * inner);
    int inners = inner;
    Tensor y = tape.zeros(x.shape());
    SoftmaxDimKernels.softmaxForward(x.value().data(), y.data(), outer, n, inner);
    Variable result = tape.output("Softmax", y, x);
    if (result.requiresGrad()) {
      tape.record("Softmax", result, dOut -> backwardAlongDim(dOut, y, x.gradBuffer(), outer, n, inners), x);
    }
    return result;
  }

  private static void backwardAlongDim(Tensor dOut, Tensor y, Tensor dX, int outer, int n, int inner) {
    // y = softmax(x)  ⇒  dX += y ⊙ (dY − Σ_k dY_k y_k), along the dimension
    SoftmaxDimKernels.softmaxBackward(dOut.data(), y.data(), dX.data(), outer, n, inner);
  }
}
