package dev.tapegrad.kernel;

/**
 * Scalar reference loops for one GRU time step's gate math, forward and backward, over a batch.
 * The matrix products around them (input and hidden projections, their gradients) are done by
 * the matmul kernels; these loops are the elementwise part in between.
 *
 * <p>Layout: {@code gi} and {@code gh} rows are 3H wide, stacked r | z | n as in PyTorch.
 * Per-step saved arrays ({@code r}, {@code z}, {@code n}, {@code g}) are B×H.
 */
public final class GruKernels {

  private GruKernels() {}

  /**
   * One step's gates, given the two projections:
   *
   * <pre>
   *   r  = σ(gi_r + gh_r)
   *   z  = σ(gi_z + gh_z)
   *   g  = gh_n                       (W_hn h + b_hn, saved: backward needs it)
   *   n  = tanh(gi_n + r ⊙ g)
   *   h' = (1 − z) ⊙ n + z ⊙ h
   * </pre>
   *
   * @param gi input projection W_ih x + b_ih; row b of this step starts at {@code giOffset + b * giStride}
   * @param giOffset offset of batch row 0 in gi
   * @param giStride distance between batch rows in gi (3H, or 3H·L when gi is batch-first over L steps)
   * @param gh hidden projection W_hh h + b_hh, B×3H
   * @param hPrev previous hidden state, B×H, at {@code hPrevOffset}
   * @param hPrevOffset offset of hPrev's first element
   * @param r receives the reset gate, B×H, at {@code gateOffset}
   * @param z receives the update gate, B×H, at {@code gateOffset}
   * @param n receives the candidate, B×H, at {@code gateOffset}
   * @param g receives W_hn h + b_hn, B×H, at {@code gateOffset}
   * @param gateOffset offset of this step's B×H block in r, z, n, g
   * @param hNext receives the new hidden state, B×H, at {@code hNextOffset}
   * @param hNextOffset offset of hNext's first element
   * @param batch B
   * @param hidden H
   */
  public static void stepForwardReference(float[] gi, int giOffset, int giStride, float[] gh, float[] hPrev,
      int hPrevOffset, float[] r, float[] z, float[] n, float[] g, int gateOffset, float[] hNext, int hNextOffset,
      int batch, int hidden) {
    for (int b = 0; b < batch; b++) {
      int in = giOffset + b * giStride;
      int hh = b * 3 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = gateOffset + b * hidden + j;
        // r = σ(W_ir x + b_ir + W_hr h + b_hr)
        float rj = ElementwiseKernels.sigmoid(gi[in + j] + gh[hh + j]);
        // z = σ(W_iz x + b_iz + W_hz h + b_hz)
        float zj = ElementwiseKernels.sigmoid(gi[in + hidden + j] + gh[hh + hidden + j]);
        // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        float gj = gh[hh + 2 * hidden + j];
        float nj = (float) Math.tanh(gi[in + 2 * hidden + j] + rj * gj);
        // h' = (1 − z) ⊙ n + z ⊙ h
        float hj = hPrev[hPrevOffset + b * hidden + j];
        r[s] = rj;
        z[s] = zj;
        n[s] = nj;
        g[s] = gj;
        hNext[hNextOffset + b * hidden + j] = (1f - zj) * nj + zj * hj;
      }
    }
  }

  /**
   * One step's gate gradients, given dh', the gradient on this step's output h':
   *
   * <pre>
   *   dn   = dh' ⊙ (1 − z)          dz = dh' ⊙ (h − n)        dh (direct) = dh' ⊙ z
   *   da_n = dn ⊙ (1 − n²)
   *   dr   = da_n ⊙ g               dg = da_n ⊙ r
   *   da_z = dz ⊙ z (1 − z)         da_r = dr ⊙ r (1 − r)
   *   input side  [da_r | da_z | da_n]      hidden side [da_r | da_z | dg]
   * </pre>
   *
   * @param dh gradient on h', B×H (read only)
   * @param hPrev the previous hidden state h, B×H, at {@code hPrevOffset}
   * @param hPrevOffset offset of h's first element
   * @param r saved reset gate, at {@code gateOffset}
   * @param z saved update gate, at {@code gateOffset}
   * @param n saved candidate, at {@code gateOffset}
   * @param g saved W_hn h + b_hn, at {@code gateOffset}
   * @param gateOffset offset of this step's B×H block in r, z, n, g
   * @param dGi receives the input-side pre-activation gradient; row b at {@code dGiOffset + b * dGiStride}
   * @param dGiOffset offset of batch row 0 in dGi
   * @param dGiStride distance between batch rows in dGi
   * @param dGh receives the hidden-side pre-activation gradient, row b at {@code dGhOffset + b * 3H}
   * @param dGhOffset offset of this step's block in dGh
   * @param dhPrev receives (overwrites) the direct part of the gradient on h, dh' ⊙ z, B×H
   * @param batch B
   * @param hidden H
   */
  public static void stepBackwardReference(float[] dh, float[] hPrev, int hPrevOffset, float[] r, float[] z,
      float[] n, float[] g, int gateOffset, float[] dGi, int dGiOffset, int dGiStride, float[] dGh, int dGhOffset,
      float[] dhPrev, int batch, int hidden) {
    for (int b = 0; b < batch; b++) {
      int in = dGiOffset + b * dGiStride;
      int hh = dGhOffset + b * 3 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = gateOffset + b * hidden + j;
        float dhj = dh[b * hidden + j];
        float rj = r[s];
        float zj = z[s];
        float nj = n[s];
        // h' = (1 − z) ⊙ n + z ⊙ h  ⇒  dn = dh'(1 − z), dz = dh'(h − n), dh = dh' z
        float dn = dhj * (1f - zj);
        float dz = dhj * (hPrev[hPrevOffset + b * hidden + j] - nj);
        dhPrev[b * hidden + j] = dhj * zj;
        // n = tanh(a_n)  ⇒  da_n = dn (1 − n²)
        float daN = dn * (1f - nj * nj);
        // a_n = gi_n + r ⊙ g  ⇒  dr = da_n g, dg = da_n r
        float dr = daN * g[s];
        float dg = daN * rj;
        // z = σ(a_z), r = σ(a_r)  ⇒  da = d · σ (1 − σ)
        float daZ = dz * zj * (1f - zj);
        float daR = dr * rj * (1f - rj);
        dGi[in + j] = daR;
        dGi[in + hidden + j] = daZ;
        dGi[in + 2 * hidden + j] = daN;
        dGh[hh + j] = daR;
        dGh[hh + hidden + j] = daZ;
        dGh[hh + 2 * hidden + j] = dg;
      }
    }
  }
}
