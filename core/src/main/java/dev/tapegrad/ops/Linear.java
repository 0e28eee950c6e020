package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.kernel.MatVecKernels;
import dev.tapegrad.tensor.Shape;
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
    // N, the product of the leading sizes (not size / In, which a zero-size In would divide by)
    int rows = leadingSize(x.shape());
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
    MatMulKernels.matmulTransB(x.value().data(), weight.value().data(), o, rows, in, outFeatures);
    Variable result = bias == null ? tape.output("Linear", out, x, weight)
        : tape.output("Linear", out, x, weight, bias);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), weight.value(), rows, in, outFeatures);
      Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
      tape.record("Linear", result,
          dOut -> backward(dOut, saved, x.gradBuffer(), weight.gradBuffer(), bias == null ? null : bias.gradBuffer()),
          inputs);
    }
    return result;
  }

  /**
   * {@code y = W x + b} for one input vector, with no tape and nothing allocated: the inference
   * path of a layer (sampling's decoder, one character at a time). A matrix-vector product, whose
   * summation order differs from {@link #apply}'s batched product, so the two agree
   * to float rounding, not bit for bit.
   *
   * <pre>{@code
   * float[] logits = new float[vocab];
   * Linear.infer(weight.value(), bias.value(), h, 0, logits);
   * }</pre>
   *
   * @param weight W, Out×In
   * @param bias b, Out
   * @param x the input, In floats from {@code offset}
   * @param offset index of x[0]
   * @param y receives the output, Out floats (overwritten)
   * @throws IllegalArgumentException naming the shapes if the weight is not 2-D or the bias does not fit it
   * @throws IndexOutOfBoundsException if x or y is too short
   */
  public static void infer(Tensor weight, Tensor bias, float[] x, int offset, float[] y) {
    if (weight.shape().rank() != 2 || bias.shape().rank() != 1 || bias.shape().dim(0) != weight.shape().dim(0)) {
      throw new IllegalArgumentException("Linear: weight shape " + weight.shape() + " and bias shape " + bias.shape()
          + " do not fit (need weight (Out, In) and bias (Out))");
    }
    int outFeatures = weight.shape().dim(0);
    int in = weight.shape().dim(1);
    // y = b, then y += W x
    System.arraycopy(bias.data(), 0, y, 0, outFeatures);
    MatVecKernels.matvec(weight.data(), 0, x, offset, y, 0, outFeatures, in);
  }

  /** The product of every size but the last: the number of rows of length {@code dim(-1)}. */
  static int leadingSize(Shape shape) {
    int rows = 1;
    for (int d = 0; d < shape.rank() - 1; d++) {
      rows *= shape.dim(d);
    }
    return rows;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dWeight, Tensor dBias) {
    // out = x · Wᵀ + b  ⇒  dX += dOut · W      (N×Out by Out×In)
    if (dX != null) {
      MatMulKernels.matmul(dOut.data(), s.weight().data(), dX.data(), s.rows(), s.out(), s.in());
    }
    // out = x · Wᵀ + b  ⇒  dW += dOutᵀ · x     (Out×N by N×In)
    if (dWeight != null) {
      MatMulKernels.matmulTransA(dOut.data(), s.x().data(), dWeight.data(), s.out(), s.rows(), s.in());
    }
    // out = x · Wᵀ + b  ⇒  db += Σ_n dOut[n, :]
    if (dBias != null) {
      ElementwiseKernels.sumRowsInto(1f, dOut.data(), dBias.data(), s.out());
    }
  }

}
