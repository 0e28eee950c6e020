package dev.tapegrad.kernel;

/**
 * Scalar reference loops for one plain tanh-RNN time step, forward and backward, over a batch.
 * The matrix products around them (input and hidden projections, their gradients) are done by
 * the matmul kernels; these loops are the elementwise part in between.
 *
 * <p>Layout: {@code gi} and {@code gh} rows are H wide (PyTorch's {@code torch.nn.RNN} has one
 * block of H rows in each weight). Per-step arrays are B×H (B batch, H hidden).
 */
public final class RnnKernels {

  private RnnKernels() {}

  /**
   * One step's new state, given the two projections:
   *
   * <pre>
   *   h' = tanh(gi + gh)        gi = W_ih x + b_ih,   gh = W_hh h + b_hh
   * </pre>
   *
   * @param gi input projection; row b of this step starts at {@code giOffset + b * giStride}
   * @param giOffset offset of batch row 0 in gi
   * @param giStride distance between batch rows in gi (H, or H·L when gi is batch-first over L steps)
   * @param gh hidden projection, B×H
   * @param hNext receives the new hidden state h', B×H, at {@code hNextOffset}
   * @param hNextOffset offset of hNext's first element
   * @param batch B
   * @param hidden H
   */
  public static void stepForwardReference(float[] gi, int giOffset, int giStride, float[] gh, float[] hNext,
      int hNextOffset, int batch, int hidden) {
    for (int b = 0; b < batch; b++) {
      int in = giOffset + b * giStride;
      for (int j = 0; j < hidden; j++) {
        // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
        hNext[hNextOffset + b * hidden + j] = (float) Math.tanh(gi[in + j] + gh[b * hidden + j]);
      }
    }
  }

  /**
   * One step's pre-activation gradient, given dh', the gradient on this step's output h':
   *
   * <pre>
   *   h' = tanh(a)  ⇒  da = dh' ⊙ (1 − h'²)
   * </pre>
   * The same da feeds both projections (a = gi + gh), so there is one gradient, not two.
   *
   * @param dh gradient on h', B×H (read only)
   * @param h the saved output h', B×H, at {@code hOffset}
   * @param hOffset offset of h's first element
   * @param dA receives da, B×H, at {@code dAOffset}
   * @param dAOffset offset of dA's first element
   * @param batch B
   * @param hidden H
   */
  public static void stepBackwardReference(float[] dh, float[] h, int hOffset, float[] dA, int dAOffset, int batch,
      int hidden) {
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        float hj = h[hOffset + b * hidden + j];
        // h' = tanh(a)  ⇒  da = dh' (1 − h'²)
        dA[dAOffset + b * hidden + j] = dh[b * hidden + j] * (1f - hj * hj);
      }
    }
  }
}
