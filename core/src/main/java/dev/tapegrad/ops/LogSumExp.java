package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The log of the sum of exponentials over one or several dimensions, computed stably
 * ({@code torch.logsumexp(x, dim, keepdim)}).
 *
 * <pre>
 *   out[o] = m + ln Σ_k e^(x_k − m)      x_k = x[base_o + offset_k],  m = max_k x_k
 * </pre>
 *
 * <p>Shapes: x any shape; out x's shape with the dimensions removed, or kept as 1 with
 * {@code keepDim}. Subtracting the maximum keeps every exponent at most 0, so large inputs do not
 * overflow; an infinite maximum is shifted by 0 instead (as PyTorch does), so all −∞ gives −∞ and a
 * +∞ gives +∞. The exponentials are summed in double.
 *
 * <p>Derivative: {@code ∂out/∂x_k = e^(x_k − out)}, the softmax of the reduction. Saved for
 * backward: x and the output.
 */
public final class LogSumExp {

  private LogSumExp() {}

  /** What backward needs: the input, the output, and the reduction's index maps. */
  private record Saved(Tensor x, Tensor out, ReducedDims r) {}

  /**
   * Returns {@code ln Σ e^x} over {@code dims}.
   *
   * <pre>{@code
   * Variable logZ = LogSumExp.apply(tape, logits, new int[] {-1}, true);   // (N, C) → (N, 1)
   * Variable logProbs = Sub.apply(tape, logits, logZ);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param keepDim keep them with size 1 instead of removing them
   * @return the log-sum-exps
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    ReducedDims r = ReducedDims.of("LogSumExp", x.shape(), dims, keepDim);
    Tensor out = tape.zeros(r.out);
    ReduceKernels.logSumExp(x.value().data(), r.base, r.offsets, out.data());
    Variable result = tape.output("LogSumExp", out, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), out, r);
      tape.record("LogSumExp", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX) {
    // out = ln Σ_k e^(x_k)  ⇒  dX_k += dOut · e^(x_k − out)
    ReduceKernels.logSumExpBackward(dOut.data(), s.x().data(), s.out().data(), s.r().base, s.r().offsets,
        dX.data());
  }
}
