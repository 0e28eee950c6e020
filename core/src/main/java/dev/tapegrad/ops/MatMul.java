package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.BatchedMatMulKernels;
import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Matrix product with {@code torch.matmul}'s rules: of two matrices, of a matrix and a vector, two
 * vectors, and of stacks of matrices whose batch dimensions broadcast.
 *
 * <pre>
 *   out = a · b        out[…, i, j] = Σ_p a[…, i, p] b[…, p, j]
 * </pre>
 *
 * <p>Shapes, by the operands' ranks (torch.matmul's table):
 * <ul>
 *   <li>1-D and 1-D: a (K), b (K), out a scalar: the dot product.
 *   <li>2-D and 2-D: a (M, K), b (K, N), out (M, N).
 *   <li>1-D and 2-D or more: a (K) is taken as (1, K), and the 1 is removed from the result:
 *       (K)·(…, K, N) → (…, N).
 *   <li>2-D or more and 1-D: b (K) is taken as (K, 1), and the 1 is removed from the result:
 *       (…, M, K)·(K) → (…, M).
 *   <li>batched: a (…a, M, K), b (…b, K, N) with the batch dimensions …a and …b broadcast
 *       ({@link Broadcast}) to …, out (…, M, N); for example (2, 3, 4)·(2, 4, 5) → (2, 3, 5) and
 *       (2, 1, 3, 4)·(5, 4, 6) → (2, 5, 3, 6).
 * </ul>
 *
 * <p>Derivatives, per batch: {@code dA = dOut · bᵀ} (M×N by N×K) and {@code dB = aᵀ · dOut}
 * (K×M by M×N), the two transposed products, run in the transposed layouts of the kernels, so no
 * transpose is ever materialised. An operand broadcast over batches (a size-1 or missing batch
 * dimension) receives the sum of its gradients over every batch it was read for. Saved for
 * backward: both operands.
 *
 * <p>When b has a single batch (a matrix, or batch dimensions all 1), the batches of a are folded
 * into rows: (B, T, C)·(C, N) is one (B·T)×C by C×N product, the same call as for a 2-D a.
 * Otherwise each batch is one product; see {@link BatchedMatMulKernels} for what placing the
 * batches costs.
 */
public final class MatMul {

  private MatMul() {}

  /**
   * What backward needs: both operands, the sizes of one product and where each batch reads its
   * operands (flat offsets into a, b and out; {@code null} for a single product).
   */
  private record Saved(Tensor a, Tensor b, int m, int k, int n, int[] aOffsets, int[] bOffsets, int[] outOffsets) {}

  /**
   * Returns {@code a · b} with torch.matmul's rules.
   *
   * <pre>{@code
   * Variable y = MatMul.apply(tape, x, w);                             // (N, K)·(K, M) → (N, M)
   * Variable scores = MatMul.apply(tape, q, Transpose.apply(tape, k)); // (B, T, D)·(B, D, T) → (B, T, T)
   * Variable dot = MatMul.apply(tape, u, v);                           // (K)·(K) → a scalar
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the left operand, at least 1-D
   * @param b the right operand, at least 1-D
   * @return the product
   * @throws IllegalArgumentException naming both shapes if an operand is a scalar, if the inner
   *     sizes K differ, or if the batch dimensions do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    Shape aShape = a.shape();
    Shape bShape = b.shape();
    if (aShape.rank() == 0 || bShape.rank() == 0) {
      throw new IllegalArgumentException("MatMul: shapes " + aShape + " and " + bShape
          + " cannot be multiplied (both operands need at least 1 dimension)");
    }
    // a (K) is (1, K) and b (K) is (K, 1) for the product; the 1 is removed from the result
    int[] aDims = aShape.rank() == 1 ? new int[] {1, aShape.dim(0)} : aShape.dims();
    int[] bDims = bShape.rank() == 1 ? new int[] {bShape.dim(0), 1} : bShape.dims();
    int m = aDims[aDims.length - 2];
    int k = aDims[aDims.length - 1];
    int n = bDims[bDims.length - 1];
    if (bDims[bDims.length - 2] != k) {
      throw new IllegalArgumentException("MatMul: shapes " + aShape + " and " + bShape
          + " cannot be multiplied (need (…, M, K) and (…, K, N): K is " + k + " against " + bDims[bDims.length - 2]
          + ")");
    }
    Shape aBatch = Shape.of(Arrays.copyOf(aDims, aDims.length - 2));
    Shape bBatch = Shape.of(Arrays.copyOf(bDims, bDims.length - 2));
    Broadcast batches;
    try {
      batches = Broadcast.of("MatMul", aBatch, bBatch);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("MatMul: shapes " + aShape + " and " + bShape
          + " cannot be multiplied: their batch dimensions " + aBatch + " and " + bBatch + " do not broadcast", e);
    }
    Tensor out = tape.zeros(outShape(batches.shape(), aShape.rank() == 1 ? -1 : m, bShape.rank() == 1 ? -1 : n));
    Saved saved;
    if (bBatch.size() == 1) {
      // one product: a's batches folded into rows, (batches·M, K)·(K, N)
      int rows = batches.size() * m;
      MatMulKernels.matmul(a.value().data(), b.value().data(), out.data(), rows, k, n);
      saved = new Saved(a.value(), b.value(), rows, k, n, null, null, null);
    } else {
      // one product per batch i: out_i = a_{a(i)} · b_{b(i)}
      int count = batches.size();
      int[] aOffsets = new int[count];
      int[] bOffsets = new int[count];
      int[] outOffsets = new int[count];
      for (int i = 0; i < count; i++) {
        aOffsets[i] = batches.a(i) * m * k;
        bOffsets[i] = batches.b(i) * k * n;
        outOffsets[i] = i * m * n;
      }
      BatchedMatMulKernels.matmul(a.value().data(), aOffsets, b.value().data(), bOffsets, out.data(), outOffsets, m,
          k, n);
      saved = new Saved(a.value(), b.value(), m, k, n, aOffsets, bOffsets, outOffsets);
    }
    Variable result = tape.output("MatMul", out, a, b);
    if (result.requiresGrad()) {
      tape.record("MatMul", result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dA, Tensor dB) {
    if (s.aOffsets() == null) {
      // a single product (batches folded into M rows)
      // out = a · b  ⇒  dA += dOut · bᵀ   (M×N times (K×N)ᵀ)
      if (dA != null) {
        MatMulKernels.matmulTransB(dOut.data(), s.b().data(), dA.data(), s.m(), s.n(), s.k());
      }
      // out = a · b  ⇒  dB += aᵀ · dOut   ((M×K)ᵀ times M×N)
      if (dB != null) {
        MatMulKernels.matmulTransA(s.a().data(), dOut.data(), dB.data(), s.k(), s.m(), s.n());
      }
      return;
    }
    // out_i = a_{a(i)} · b_{b(i)}  ⇒  dA_{a(i)} += dOut_i · b_{b(i)}ᵀ, summed over the i that read a_{a(i)}
    if (dA != null) {
      BatchedMatMulKernels.matmulTransB(dOut.data(), s.outOffsets(), s.b().data(), s.bOffsets(), dA.data(),
          s.aOffsets(), s.m(), s.n(), s.k());
    }
    // out_i = a_{a(i)} · b_{b(i)}  ⇒  dB_{b(i)} += a_{a(i)}ᵀ · dOut_i, summed over the i that read b_{b(i)}
    if (dB != null) {
      BatchedMatMulKernels.matmulTransA(s.a().data(), s.aOffsets(), dOut.data(), s.outOffsets(), dB.data(),
          s.bOffsets(), s.k(), s.m(), s.n());
    }
  }

  /** The batch dimensions, then M and N, each left out when it is −1 (its operand was a vector). */
  private static Shape outShape(Shape batch, int m, int n) {
    int[] dims = Arrays.copyOf(batch.dims(), batch.rank() + 2);
    int rank = batch.rank();
    if (m >= 0) {
      dims[rank++] = m;
    }
    if (n >= 0) {
      dims[rank++] = n;
    }
    return Shape.of(Arrays.copyOf(dims, rank));
  }
}
