package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Matrix product of two 2-D tensors.
 *
 * <pre>
 *   out = a · b        out[i, j] = Σ_p a[i, p] b[p, j]
 * </pre>
 *
 * <p>Shapes: a (M, K), b (K, N), out (M, N).
 *
 * <p>Derivatives: {@code dA = dOut · bᵀ} (M×N by N×K) and {@code dB = aᵀ · dOut} (K×M by M×N),
 * the two transposed products. Saved for backward: both operands.
 */
public final class MatMul {

  private MatMul() {}

  /** What backward needs: both operands and the sizes. */
  private record Saved(Tensor a, Tensor b, int m, int k, int n) {}

  /**
   * Returns {@code a · b}.
   *
   * @param tape the tape to record on
   * @param a the left matrix, M×K
   * @param b the right matrix, K×N
   * @return the product, M×N
   * @throws IllegalArgumentException naming both shapes if they are not 2-D or K differs
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    if (a.shape().rank() != 2 || b.shape().rank() != 2 || a.shape().dim(1) != b.shape().dim(0)) {
      throw new IllegalArgumentException(
          "MatMul: shapes " + a.shape() + " and " + b.shape() + " cannot be multiplied (need (M, K) and (K, N))");
    }
    int m = a.shape().dim(0);
    int k = a.shape().dim(1);
    int n = b.shape().dim(1);
    Tensor out = tape.zeros(m, n);
    MatMulKernels.matmul(a.value().data(), b.value().data(), out.data(), m, k, n);
    Variable result = tape.output("MatMul", out, a, b);
    if (result.requiresGrad()) {
      Saved saved = new Saved(a.value(), b.value(), m, k, n);
      tape.record("MatMul", result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dA, Tensor dB) {
    // out = a · b  ⇒  dA += dOut · bᵀ   (M×N times (K×N)ᵀ)
    if (dA != null) {
      MatMulKernels.matmulTransB(dOut.data(), s.b().data(), dA.data(), s.m(), s.n(), s.k());
    }
    // out = a · b  ⇒  dB += aᵀ · dOut   ((M×K)ᵀ times M×N)
    if (dB != null) {
      MatMulKernels.matmulTransA(s.a().data(), dOut.data(), dB.data(), s.k(), s.m(), s.n());
    }
  }
}
