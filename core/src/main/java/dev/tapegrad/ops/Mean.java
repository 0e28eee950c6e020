package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The mean of all elements, or along one or several dimensions ({@code torch.mean(x)},
 * {@code torch.mean(x, dim, keepdim)} with dim an int or a list).
 *
 * <pre>
 *   all:        out = (1/N) Σ_i x_i
 *   along d:    out[o, i] = (1/n) Σ_k x[o, k, i]      x viewed as (outer, n, inner)
 * </pre>
 *
 * <p>Shapes: x any shape with N elements; out a scalar (all), or x's shape with dimension d
 * removed, or kept as 1 with {@code keepDim}. Sums are accumulated in double.
 *
 * <p>Derivative: {@code ∂out/∂x_i = 1/N} (or 1/n, n the count each output averages). Nothing is
 * saved.
 */
public final class Mean {

  private Mean() {}

  /**
   * Returns the mean of {@code x}'s elements.
   *
   * <pre>{@code
   * Variable mse = Mean.apply(tape, Pow.apply(tape, Sub.apply(tape, prediction, target), 2f));
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return a scalar
   */
  public static Variable apply(Tape tape, Variable x) {
    int count = x.value().size();
    Tensor out = Tensor.scalar((float) (ElementwiseKernels.sum(x.value().data()) / count));
    Variable result = tape.output("Mean", out, x);
    if (result.requiresGrad()) {
      tape.record("Mean", result, dOut -> backward(dOut, count, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, int count, Tensor dX) {
    // out = (1/N) Σ_i x_i  ⇒  dX_i += dOut / N
    float[] dx = dX.data();
    float g = dOut.item() / count;
    for (int i = 0; i < dx.length; i++) {
      dx[i] += g;
    }
  }

  /**
   * Returns the means of {@code x} along dimension {@code dim}: {@link Sum#apply(Tape, Variable,
   * int, boolean)} divided by the dimension's size, with the same shapes.
   *
   * <pre>{@code
   * Variable centred = Sub.apply(tape, x, Mean.apply(tape, x, 0, true));   // subtract each column's mean
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension to average over, negative counting from the end
   * @param keepDim keep it with size 1 instead of removing it
   * @return the means
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, boolean keepDim) {
    return Sum.alongDim("Mean", tape, x, dim, keepDim, true);
  }

  /**
   * Returns the means of {@code x} over several dimensions at once: {@link Sum#apply(Tape, Variable,
   * int[], boolean)} divided by the number of elements each output averages, with the same shapes.
   *
   * <pre>{@code
   * Variable perImage = Mean.apply(tape, images, new int[] {-2, -1}, true);   // (N, C, H, W) → (N, C, 1, 1)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to average over, negative counting from the end, each at most once;
   *     empty for all
   * @param keepDim keep them with size 1 instead of removing them
   * @return the means
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    return Sum.overDims("Mean", tape, x, dims, keepDim, true);
  }
}
