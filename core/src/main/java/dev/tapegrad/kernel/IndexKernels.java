package dev.tapegrad.kernel;

/**
 * The loops behind the ops that read or write at positions an index tensor names: index select
 * and its adjoint index add (an embedding lookup and its backward), gather and its adjoint
 * scatter add. Scalar only: each element moves once, at an address the index decides, which
 * leaves nothing for vectors to do. Indices are checked by the ops before they get here.
 *
 * <p>Legend: a tensor viewed as {@code (outer, n, inner)} around the indexed dimension d, with
 * {@code outer} the product of the dimensions before d and {@code inner} of those after it.
 */
public final class IndexKernels {

  private IndexKernels() {}

  /**
   * {@code out[o, k, i] = x[o, index[k], i]}: whole slices of x picked along the middle dimension.
   *
   * @param x the input, outer × n × inner
   * @param index the K positions, each in [0, n)
   * @param out receives the result, outer × K × inner
   * @param outer the product of the dimensions before the indexed one
   * @param n the indexed dimension's size
   * @param inner the product of the dimensions after it
   */
  public static void indexSelect(float[] x, int[] index, float[] out, int outer, int n, int inner) {
    int count = index.length;
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < count; k++) {
        // out[o, k, :] = x[o, index[k], :]
        System.arraycopy(x, (o * n + index[k]) * inner, out, (o * count + k) * inner, inner);
      }
    }
  }

  /**
   * {@code dX[o, index[k], i] += dOut[o, k, i]}: the adjoint of {@link #indexSelect} (PyTorch's
   * {@code index_add_}); a position named twice receives both slices, in order of k.
   *
   * @param dOut the gradient of the output, outer × K × inner
   * @param index the K positions, each in [0, n)
   * @param dX accumulated into, outer × n × inner
   * @param outer the product of the dimensions before the indexed one
   * @param n the indexed dimension's size
   * @param inner the product of the dimensions after it
   */
  public static void indexAdd(float[] dOut, int[] index, float[] dX, int outer, int n, int inner) {
    int count = index.length;
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < count; k++) {
        int row = (o * n + index[k]) * inner;
        int from = (o * count + k) * inner;
        for (int i = 0; i < inner; i++) {
          dX[row + i] += dOut[from + i];
        }
      }
    }
  }

  /**
   * {@code out[p] = x[p with coordinate d replaced by index[p]]} for every position p of the
   * index, or {@code +=} with {@code accumulate}: PyTorch's {@code gather} along d, written into
   * a strided destination.
   *
   * @param x the source, read with {@code xStrides}
   * @param xStrides x's strides, one per dimension of the index
   * @param d the gathered dimension
   * @param index the positions along d, row-major over {@code indexSizes}
   * @param indexSizes the index's dimensions (its rank is x's)
   * @param out the destination, written at {@code Σ_k p_k · outStrides[k]}
   * @param outStrides the destination's strides
   * @param accumulate add into out instead of assigning
   */
  public static void gather(float[] x, int[] xStrides, int d, int[] index, int[] indexSizes, float[] out,
      int[] outStrides, boolean accumulate) {
    int rank = indexSizes.length;
    int[] p = new int[rank];
    for (int flat = 0; flat < index.length; flat++) {
      // the source address: p's coordinates, index[p] at dimension d
      int from = 0;
      int to = 0;
      for (int k = 0; k < rank; k++) {
        from += (k == d ? index[flat] : p[k]) * xStrides[k];
        to += p[k] * outStrides[k];
      }
      out[to] = accumulate ? out[to] + x[from] : x[from];
      next(p, indexSizes);
    }
  }

  /**
   * {@code out[p with coordinate d replaced by index[p]] += src[p]} for every position p of the
   * index, in row-major order: PyTorch's {@code scatter_add_} along d, the adjoint of
   * {@link #gather}.
   *
   * @param src the values added, read at {@code Σ_k p_k · srcStrides[k]}
   * @param srcStrides src's strides, one per dimension of the index
   * @param d the scattered dimension
   * @param index the positions along d, row-major over {@code indexSizes}
   * @param indexSizes the index's dimensions (its rank is out's)
   * @param out accumulated into, with {@code outStrides}
   * @param outStrides out's strides
   */
  public static void scatterAdd(float[] src, int[] srcStrides, int d, int[] index, int[] indexSizes, float[] out,
      int[] outStrides) {
    int rank = indexSizes.length;
    int[] p = new int[rank];
    for (int flat = 0; flat < index.length; flat++) {
      // the destination address: p's coordinates, index[p] at dimension d
      int from = 0;
      int to = 0;
      for (int k = 0; k < rank; k++) {
        from += p[k] * srcStrides[k];
        to += (k == d ? index[flat] : p[k]) * outStrides[k];
      }
      out[to] += src[from];
      next(p, indexSizes);
    }
  }

  /** Advances a row-major position over {@code sizes} by one, like an odometer. */
  private static void next(int[] p, int[] sizes) {
    for (int k = p.length - 1; k >= 0; k--) {
      if (++p[k] < sizes[k]) {
        return;
      }
      p[k] = 0;
    }
  }
}
