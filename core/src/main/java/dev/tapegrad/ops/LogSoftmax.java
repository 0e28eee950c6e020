package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.SoftmaxDimKernels;
import dev.tapegrad.kernel.SoftmaxKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The log of the softmax over the last dimension ({@code torch.log_softmax(x, dim=-1)}) or any
 * other ({@code torch.log_softmax(x, dim)}), computed without taking the log of a probability.
 *
 * <pre>
 *   y[…, v] = x[…, v] − m − ln Σ_u e^(x[…, u] − m)      m = max_u x[…, u]
 * </pre>
 *
 * <p>Shapes: x any shape of rank at least 1, (…, C); y the same. A classifier's negative
 * log-likelihood is {@code −y[n, target_n]}; {@link SoftmaxCrossEntropy} fuses that step.
 *
 * <p>Derivative: {@code ∂y_v/∂x_u = [u = v] − softmax_u}, so
 * {@code dX = dY − e^y · Σ_u dY_u} row by row. Saved for backward: the output y, from which the
 * softmax is recovered as e^y (one exponential per element in backward, instead of keeping a second
 * row-sized tensor).
 */
public final class LogSoftmax {

  private LogSoftmax() {}

  /**
   * Returns the log-softmax of each row.
   *
   * <pre>{@code
   * Variable logProbs = LogSoftmax.apply(tape, logits);   // (N, C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, (…, C)
   * @return the log-softmax, x's shape
   * @throws IllegalArgumentException if x is a scalar
   */
  public static Variable apply(Tape tape, Variable x) {
    int cols = x.shape().dim(Checks.dim("LogSoftmax", x.shape(), -1));
    int rows = cols == 0 ? 0 : x.shape().size() / cols;
    Tensor y = tape.zeros(x.shape());
    SoftmaxKernels.logSoftmaxForward(x.value().data(), y.data(), rows, cols);
    Variable result = tape.output("LogSoftmax", y, x);
    if (result.requiresGrad()) {
      tape.record("LogSoftmax", result, dOut -> backward(dOut, y, x.gradBuffer(), rows, cols), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX, int rows, int cols) {
    // y = x − m − ln Σ e^(x − m)  ⇒  dX += dY − e^y · Σ_u dY_u, row by row
    SoftmaxKernels.logSoftmaxBackward(dOut.data(), y.data(), dX.data(), rows, cols);
  }

  /**
   * Returns the log-softmax over dimension {@code dim} ({@code torch.log_softmax(x, dim)}): every
   * line of x along that dimension becomes the log of a probability distribution. The last dimension takes
   * {@link #apply(Tape, Variable)}, the contiguous fast path; any other the same math over x viewed as
   * (outer, n, inner) around the dimension, with the same derivative.
   *
   * <pre>{@code
   * Variable perColumn = LogSoftmax.apply(tape, x, 0);   // (N, C): over the rows of every column
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, of rank at least 1
   * @param dim the dimension, negative counting from the end
   * @return the result, x's shape
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim) {
    int d = Checks.dim("LogSoftmax", x.shape(), dim);
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
    SoftmaxDimKernels.logSoftmaxForward(x.value().data(), y.data(), outer, n, inner);
    Variable result = tape.output("LogSoftmax", y, x);
    if (result.requiresGrad()) {
      tape.record("LogSoftmax", result, dOut -> backwardAlongDim(dOut, y, x.gradBuffer(), outer, n, inners), x);
    }
    return result;
  }

  private static void backwardAlongDim(Tensor dOut, Tensor y, Tensor dX, int outer, int n, int inner) {
    // y = x − m − ln Σ e^(x − m)  ⇒  dX += dY − e^y · Σ_k dY_k, along the dimension
    SoftmaxDimKernels.logSoftmaxBackward(dOut.data(), y.data(), dX.data(), outer, n, inner);
  }
}
