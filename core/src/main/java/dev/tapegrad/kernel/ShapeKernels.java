package dev.tapegrad.kernel;

/**
 * The one loop behind every shape op: copy a strided block of one array into a strided block of
 * another, or add it there. Scalar only: these are copies, bound by memory, and the innermost
 * contiguous run is a {@link System#arraycopy}.
 *
 * <p><b>Strided blocks.</b> A row-major tensor of dimensions {@code (n_0, …, n_r−1)} stores
 * element {@code (i_0, …, i_r−1)} at {@code Σ_k i_k · s_k} with strides
 * {@code s_k = n_(k+1) · … · n_(r−1)}. Any block that picks elements at regular steps is an
 * offset and strides of its own over the same array, with sizes {@code (m_0, …, m_q−1)}:
 * <pre>
 *   narrow along d, from start     offset start·s_d, same strides, m_d = length
 *   slice along d, every step-th   offset start·s_d, stride step·s_d on d
 *   select index t along d         offset t·s_d, dimension d dropped
 *   permute by p                   strides s_p(0), …, s_p(q−1)
 *   expand a size-1 dimension      stride 0 on it (every position reads the same element)
 *   a place in a cat's output      offset start·s_d of the output, the output's strides
 * </pre>
 * so each op is one call here with its own offsets and strides, and its backward is the same call
 * with source and destination swapped and {@link #add}: with a stride of 0 on the destination
 * (an expand's backward) the additions sum over the dimension.
 */
public final class ShapeKernels {

  private ShapeKernels() {}

  /**
   * Returns the row-major strides of a contiguous array of these dimensions.
   *
   * @param sizes the dimensions
   * @return {@code s_k = Π_(j>k) sizes[j]}, the last one 1
   */
  public static int[] contiguousStrides(int[] sizes) {
    int[] strides = new int[sizes.length];
    int stride = 1;
    for (int k = sizes.length - 1; k >= 0; k--) {
      strides[k] = stride;
      stride *= sizes[k];
    }
    return strides;
  }

  /**
   * {@code dst[dstOffset + Σ_k i_k·dstStrides[k]] = src[srcOffset + Σ_k i_k·srcStrides[k]]} for
   * every index {@code (i_0, …)} below {@code sizes}.
   *
   * @param src the array read
   * @param srcOffset where index (0, …, 0) reads
   * @param srcStrides how far the read moves per step of each dimension (0 repeats an element)
   * @param dst the array written
   * @param dstOffset where index (0, …, 0) writes
   * @param dstStrides how far the write moves per step of each dimension
   * @param sizes the block's dimensions (any of them 0: nothing is copied)
   */
  public static void copy(float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset, int[] dstStrides,
      int[] sizes) {
    walk(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, sizes, false);
  }

  /**
   * {@code dst[dstOffset + Σ_k i_k·dstStrides[k]] += src[srcOffset + Σ_k i_k·srcStrides[k]]}: the
   * backward of {@link #copy}. Where the destination's stride is 0 the block's elements along
   * that dimension all add into one element, in index order.
   *
   * @param src the array read (a gradient)
   * @param srcOffset where index (0, …, 0) reads
   * @param srcStrides how far the read moves per step of each dimension
   * @param dst the array accumulated into
   * @param dstOffset where index (0, …, 0) adds
   * @param dstStrides how far the destination moves per step of each dimension (0 sums)
   * @param sizes the block's dimensions
   */
  public static void add(float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset, int[] dstStrides,
      int[] sizes) {
    walk(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, sizes, true);
  }

  /** The odometer over every dimension but the last, and a run along the last. */
  private static void walk(float[] src, int srcOffset, int[] srcStrides, float[] dst, int dstOffset, int[] dstStrides,
      int[] sizes, boolean accumulate) {
    int rank = sizes.length;
    for (int size : sizes) {
      if (size == 0) {
        return;
      }
    }
    if (rank == 0) {
      // a single element
      dst[dstOffset] = accumulate ? dst[dstOffset] + src[srcOffset] : src[srcOffset];
      return;
    }
    int inner = sizes[rank - 1];
    int srcStep = srcStrides[rank - 1];
    int dstStep = dstStrides[rank - 1];
    boolean contiguousRun = !accumulate && srcStep == 1 && dstStep == 1;
    int[] index = new int[rank - 1];
    int s = srcOffset;
    int d = dstOffset;
    while (true) {
      // one run: dst[d + j·dstStep] (+)= src[s + j·srcStep] for j < inner
      if (contiguousRun) {
        System.arraycopy(src, s, dst, d, inner);
      } else if (accumulate) {
        for (int j = 0; j < inner; j++) {
          dst[d + j * dstStep] += src[s + j * srcStep];
        }
      } else {
        for (int j = 0; j < inner; j++) {
          dst[d + j * dstStep] = src[s + j * srcStep];
        }
      }
      // the next run: advance the outer index like an odometer, moving both offsets with it
      int k = rank - 2;
      for (; k >= 0; k--) {
        index[k]++;
        s += srcStrides[k];
        d += dstStrides[k];
        if (index[k] < sizes[k]) {
          break;
        }
        s -= srcStrides[k] * sizes[k];
        d -= dstStrides[k] * sizes[k];
        index[k] = 0;
      }
      if (k < 0) {
        return;
      }
    }
  }
}
