package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.tensor.Tensor;

/**
 * An affine map in PyTorch's layout, {@code torch.nn.functional.linear}.
 *
 * <pre>
 *   out = x · Wᵀ + b        out[n, o] = Σ_i x[n, i] W[o, i] + b[o]
 * </pre>
 *
 * <p>Shapes: x (…, In), any number of leading dimensions (none for a single vector (In), as
 * PyTorch); weight (Out, In), one row per output feature; bias (Out) or absent; out (…, Out).
 * The leading dimensions are folded into N rows (N = the product of x's sizes but the last), so a
 * (B, T, In) input is one (B·T)×In product, exactly as a 2-D (B·T, In) input would be.
 *
 * <p>Derivatives: {@code dX = dOut · W} (N×Out by Out×In), {@code dW = dOutᵀ · x}
 * (Out×N by N×In), {@code db = Σ_n dOut[n, :]}. Saved for backward: x and W.
 *
 * <p>Note: this is MatMul + Add fused into one tape entry and with W used untransposed; the
 * result is identical to composing {@link MatMul} with a transposed weight and {@link Add}.
 */
public final class Linear {

  private Linear() {}

  /** What backward needs: the input, the weight and the sizes. */
  private record Saved(Tensor x, Tensor weight, int rows, int in, int out) {}

  /**
   * Returns {@code x · Wᵀ + b}.
   *
   * @param tape the tape to record on
   * @param x the input, (…, In)
   * @param weight the weight, Out×In
   * @param bias the bias, Out, or {@code null} for none
   * @return the output, (…, Out)
   * @throws IllegalArgumentException naming the shapes if they do not fit
   */
  public static Variable apply(Tape tape, Variable x, Variable weight, Variable bias) {
    if (x.shape().rank() == 0) {
      throw new IllegalArgumentException("Linear: x must have at least 1 dimension, got shape " + x.shape());
    }
    Checks.requireRank("Linear", "weight", weight, 2);
    int in = x.shape().dim(-1);
    int rows = x.shape().size() / in;
    int outFeatures = weight.shape().dim(0);
    if (weight.shape().dim(1) != in) {
      throw new IllegalArgumentException("Linear: input shape " + x.shape() + " does not match weight shape "
          + weight.shape() + " (need x (…, In) and weight (Out, In))");
    }
    if (bias != null && (bias.shape().rank() != 1 || bias.shape().dim(0) != outFeatures)) {
      throw new IllegalArgumentException(
          "Linear: bias shape " + bias.shape() + " does not match weight shape " + weight.shape());
    }
    // out has x's shape with In replaced by Out
    int[] outDims = x.shape().dims();
    outDims[outDims.length - 1] = outFeatures;
    Tensor out = tape.zeros(outDims);
    float[] o = out.data();
    // out[n, :] = b
    if (bias != null) {
      float[] b = bias.value().data();
      for (int n = 0; n < rows; n++) {
        System.arraycopy(b, 0, o, n * outFeatures, outFeatures);
      }
    }
    // out += x · Wᵀ
    Kernels.matmulTransB(x.value().data(), weight.value().data(), o, rows, in, outFeatures);
    Variable result = bias == null ? tape.output("Linear", out, x, weight) : tape.output("Linear", out, x, weight, bias);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), weight.value(), rows, in, outFeatures);
      Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
      tape.record("Linear", result,
          dOut -> backward(dOut, saved, x.gradBuffer(), weight.gradBuffer(), bias == null ? null : bias.gradBuffer()),
          inputs);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dWeight, Tensor dBias) {
    // out = x · Wᵀ + b  ⇒  dX += dOut · W      (N×Out by Out×In)
    if (dX != null) {
      Kernels.matmul(dOut.data(), s.weight().data(), dX.data(), s.rows(), s.out(), s.in());
    }
    // out = x · Wᵀ + b  ⇒  dW += dOutᵀ · x     (Out×N by N×In)
    if (dWeight != null) {
      Kernels.matmulTransA(dOut.data(), s.x().data(), dWeight.data(), s.out(), s.rows(), s.in());
    }
    // out = x · Wᵀ + b  ⇒  db += Σ_n dOut[n, :]
    if (dBias != null) {
      ElementwiseKernels.sumRowsInto(1f, dOut.data(), dBias.data(), s.out());
    }
  }

}
