package dev.tapegrad.kernel;

/**
 * Scalar reference loops for one LSTM time step's gate math, forward and backward, over a batch.
 * The matrix products around them (input and hidden projections, their gradients) are done by
 * the matmul kernels; these loops are the elementwise part in between.
 *
 * <p>Layout: {@code gi} and {@code gh} rows are 4H wide, stacked i | f | g | o as in PyTorch
 * (i input gate, f forget gate, g cell candidate, o output gate). Per-step saved arrays
 * ({@code i}, {@code f}, {@code g}, {@code o}, {@code tanhC}) and states are B×H (B batch, H
 * hidden).
 */
public final class LstmKernels {

  private LstmKernels() {}

  /**
   * One step's gates and new states, given the two projections (a = gi + gh, 4H wide):
   *
   * <pre>
   *   i = σ(a_i)     f = σ(a_f)     g = tanh(a_g)     o = σ(a_o)
   *   c' = f ⊙ c + i ⊙ g
   *   h' = o ⊙ tanh(c')              (tanh(c') saved: backward needs it)
   * </pre>
   *
   * @param gi input projection W_ih x + b_ih; row b of this step starts at {@code giOffset + b * giStride}
   * @param giOffset offset of batch row 0 in gi
   * @param giStride distance between batch rows in gi (4H, or 4H·L when gi is batch-first over L steps)
   * @param gh hidden projection W_hh h + b_hh, B×4H
   * @param cPrev previous cell state c, B×H, at {@code cPrevOffset}
   * @param cPrevOffset offset of c's first element
   * @param i receives the input gate, B×H, at {@code gateOffset}
   * @param f receives the forget gate, B×H, at {@code gateOffset}
   * @param g receives the cell candidate, B×H, at {@code gateOffset}
   * @param o receives the output gate, B×H, at {@code gateOffset}
   * @param tanhC receives tanh(c'), B×H, at {@code gateOffset}
   * @param gateOffset offset of this step's B×H block in i, f, g, o, tanhC
   * @param cNext receives the new cell state c', B×H, at {@code nextOffset}
   * @param hNext receives the new hidden state h', B×H, at {@code nextOffset}
   * @param nextOffset offset of the first element of c' and h'
   * @param batch B
   * @param hidden H
   */
  public static void stepForwardReference(float[] gi, int giOffset, int giStride, float[] gh, float[] cPrev,
      int cPrevOffset, float[] i, float[] f, float[] g, float[] o, float[] tanhC, int gateOffset, float[] cNext,
      float[] hNext, int nextOffset, int batch, int hidden) {
    for (int b = 0; b < batch; b++) {
      int in = giOffset + b * giStride;
      int hh = b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = gateOffset + b * hidden + j;
        // i = σ(W_ii x + b_ii + W_hi h + b_hi)
        float ij = ElementwiseKernels.sigmoid(gi[in + j] + gh[hh + j]);
        // f = σ(W_if x + b_if + W_hf h + b_hf)
        float fj = ElementwiseKernels.sigmoid(gi[in + hidden + j] + gh[hh + hidden + j]);
        // g = tanh(W_ig x + b_ig + W_hg h + b_hg)
        float gj = (float) Math.tanh(gi[in + 2 * hidden + j] + gh[hh + 2 * hidden + j]);
        // o = σ(W_io x + b_io + W_ho h + b_ho)
        float oj = ElementwiseKernels.sigmoid(gi[in + 3 * hidden + j] + gh[hh + 3 * hidden + j]);
        // c' = f ⊙ c + i ⊙ g
        float cj = fj * cPrev[cPrevOffset + b * hidden + j] + ij * gj;
        // h' = o ⊙ tanh(c')
        float tj = (float) Math.tanh(cj);
        i[s] = ij;
        f[s] = fj;
        g[s] = gj;
        o[s] = oj;
        tanhC[s] = tj;
        cNext[nextOffset + b * hidden + j] = cj;
        hNext[nextOffset + b * hidden + j] = oj * tj;
      }
    }
  }

  /**
   * One step's gate gradients, given dh' and dc', the gradients reaching this step's outputs h'
   * and c' from outside the step (the layer's output and what step t+1 sent back):
   *
   * <pre>
   *   dc'  += dh' ⊙ o ⊙ (1 − tanh²(c'))     (h' = o ⊙ tanh(c') also depends on c')
   *   do    = dh' ⊙ tanh(c')
   *   di    = dc' ⊙ g      dg = dc' ⊙ i      df = dc' ⊙ c      dc (to step t−1) = dc' ⊙ f
   *   da_i  = di ⊙ i (1 − i)     da_f = df ⊙ f (1 − f)
   *   da_g  = dg ⊙ (1 − g²)      da_o = do ⊙ o (1 − o)
   *   dA    = [da_i | da_f | da_g | da_o]    (the same for the input and the hidden side)
   * </pre>
   *
   * @param dh gradient on h', B×H (read only)
   * @param dc gradient on c' from outside the step, B×H (read only)
   * @param cPrev the previous cell state c, B×H, at {@code cPrevOffset}
   * @param cPrevOffset offset of c's first element
   * @param i saved input gate, at {@code gateOffset}
   * @param f saved forget gate, at {@code gateOffset}
   * @param g saved cell candidate, at {@code gateOffset}
   * @param o saved output gate, at {@code gateOffset}
   * @param tanhC saved tanh(c'), at {@code gateOffset}
   * @param gateOffset offset of this step's B×H block in i, f, g, o, tanhC
   * @param dA receives the pre-activation gradient, row b at {@code dAOffset + b * 4H}
   * @param dAOffset offset of this step's block in dA
   * @param dcPrev receives (overwrites) the gradient on c, dc' ⊙ f, B×H; must not be {@code dc}
   * @param batch B
   * @param hidden H
   */
  public static void stepBackwardReference(float[] dh, float[] dc, float[] cPrev, int cPrevOffset, float[] i,
      float[] f, float[] g, float[] o, float[] tanhC, int gateOffset, float[] dA, int dAOffset, float[] dcPrev,
      int batch, int hidden) {
    for (int b = 0; b < batch; b++) {
      int row = dAOffset + b * 4 * hidden;
      for (int j = 0; j < hidden; j++) {
        int s = gateOffset + b * hidden + j;
        float dhj = dh[b * hidden + j];
        float ij = i[s];
        float fj = f[s];
        float gj = g[s];
        float oj = o[s];
        float tj = tanhC[s];
        // h' = o ⊙ tanh(c')  ⇒  do = dh' tanh(c'), dc' += dh' o (1 − tanh²(c'))
        float dO = dhj * tj;
        float dC = dc[b * hidden + j] + dhj * oj * (1f - tj * tj);
        // c' = f ⊙ c + i ⊙ g  ⇒  di = dc' g, dg = dc' i, df = dc' c, dc = dc' f
        float dI = dC * gj;
        float dG = dC * ij;
        float dF = dC * cPrev[cPrevOffset + b * hidden + j];
        dcPrev[b * hidden + j] = dC * fj;
        // i, f, o = σ(a)  ⇒  da = d · σ (1 − σ);  g = tanh(a_g)  ⇒  da_g = dg (1 − g²)
        dA[row + j] = dI * ij * (1f - ij);
        dA[row + hidden + j] = dF * fj * (1f - fj);
        dA[row + 2 * hidden + j] = dG * (1f - gj * gj);
        dA[row + 3 * hidden + j] = dO * oj * (1f - oj);
      }
    }
  }
}
