package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.ElementwiseKernels.sigmoid;

/**
 * The recurrent cells' gate math, one batch row of one step at a time, reading and writing
 * {@link RecurrentBuffers} at the row {@link RecurrentBuffers#at} chose: for each cell, the door
 * of its forward and of its backward, and the scalar reference right below each. The equations,
 * with their derivation, are {@code dev.tapegrad.ops.CellKind}'s javadoc; the comments here quote
 * the line each statement computes.
 *
 * <p>Each door's first line hands the row's whole vectors to {@link GateSimd} when
 * {@link Vectors#ON}; the twin returns the first hidden unit it did not do, and the reference
 * does the rest ({@code hidden mod L} units), so each unit is always computed the same way
 * whatever the width. On the scalar path the reference does the whole row.
 *
 * <p>Forward reads gi and gh (the two stacked projections) and the previous state, and writes the
 * new state and the saved activations. Backward reads dh (and dc), the gradient reaching the new
 * state from outside the step, and what forward saved, and writes dgi and dgh (the gradients of the
 * two projections) and the part of the gradient on the previous state that does not pass through
 * W_hh.
 */
public final class GateKernels {

  private GateKernels() {}

  /**
   * The GRU's forward: r, z, n and h' from gi, gh and h; saves r, z, n and ghn = W_hn h + b_hn.
   *
   * @param s the buffers, at the row to compute
   */
  public static void gruForward(RecurrentBuffers s) {
    gruForwardReference(s, Vectors.ON ? GateSimd.gruForward(s) : 0);
  }

  /**
   * The scalar loop of {@link #gruForward}, for hidden units [from, H) of the row.
   *
   * @param s the buffers, at the row to compute
   * @param from the first hidden unit to compute; 0 for the whole row
   */
  public static void gruForwardReference(RecurrentBuffers s, int from) {
    int hidden = s.hidden;
    for (int j = from; j < hidden; j++) {
      // r = σ(W_ir x + b_ir + W_hr h + b_hr)
      float r = sigmoid(s.gi[s.giAt + j] + s.gh[s.ghAt + j]);
      // z = σ(W_iz x + b_iz + W_hz h + b_hz)
      float z = sigmoid(s.gi[s.giAt + hidden + j] + s.gh[s.ghAt + hidden + j]);
      // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
      float ghn = s.gh[s.ghAt + 2 * hidden + j];
      float n = (float) Math.tanh(s.gi[s.giAt + 2 * hidden + j] + r * ghn);
      // h' = (1 − z) ⊙ n + z ⊙ h
      s.h[s.nextAt + j] = (1f - z) * n + z * s.h[s.prevAt + j];
      s.saved[s.savedAt + j] = r;
      s.saved[s.savedAt + hidden + j] = z;
      s.saved[s.savedAt + 2 * hidden + j] = n;
      s.saved[s.savedAt + 3 * hidden + j] = ghn;
    }
  }

  /**
   * The GRU's backward: dgi, dgh and the direct part of dh from dh' and what forward saved.
   *
   * @param s the buffers, at the row to compute
   */
  public static void gruBackward(RecurrentBuffers s) {
    gruBackwardReference(s, Vectors.ON ? GateSimd.gruBackward(s) : 0);
  }

  /** The scalar loop of {@link #gruBackward}; same arguments as {@link #gruForwardReference}. */
  public static void gruBackwardReference(RecurrentBuffers s, int from) {
    int hidden = s.hidden;
    for (int j = from; j < hidden; j++) {
      float dh = s.dh[s.rowAt + j];
      float r = s.saved[s.savedAt + j];
      float z = s.saved[s.savedAt + hidden + j];
      float n = s.saved[s.savedAt + 2 * hidden + j];
      // h' = (1 − z) ⊙ n + z ⊙ h  ⇒  dn = dh'(1 − z), dz = dh'(h − n), dh = dh' z
      float dn = dh * (1f - z);
      float dz = dh * (s.h[s.prevAt + j] - n);
      s.dhPrev[s.rowAt + j] = dh * z;
      // n = tanh(a_n)  ⇒  da_n = dn (1 − n²)
      float daN = dn * (1f - n * n);
      // a_n = gi_n + r ⊙ ghn  ⇒  dr = da_n ghn, dghn = da_n r
      float dr = daN * s.saved[s.savedAt + 3 * hidden + j];
      float dGhn = daN * r;
      // z = σ(a_z), r = σ(a_r)  ⇒  da = d · σ (1 − σ)
      float daZ = dz * z * (1f - z);
      float daR = dr * r * (1f - r);
      s.dGi[s.giAt + j] = s.dGh[s.ghAt + j] = daR;
      s.dGi[s.giAt + hidden + j] = s.dGh[s.ghAt + hidden + j] = daZ;
      s.dGi[s.giAt + 2 * hidden + j] = daN;
      s.dGh[s.ghAt + 2 * hidden + j] = dGhn;
    }
  }

  /**
   * The LSTM's forward: i, f, g, o, c' and h' from gi, gh and c; saves i, f, g, o and tanh(c').
   *
   * @param s the buffers, at the row to compute
   */
  public static void lstmForward(RecurrentBuffers s) {
    lstmForwardReference(s, Vectors.ON ? GateSimd.lstmForward(s) : 0);
  }

  /** The scalar loop of {@link #lstmForward}; same arguments as {@link #gruForwardReference}. */
  public static void lstmForwardReference(RecurrentBuffers s, int from) {
    int hidden = s.hidden;
    for (int j = from; j < hidden; j++) {
      // i = σ(W_ii x + b_ii + W_hi h + b_hi)
      float i = sigmoid(s.gi[s.giAt + j] + s.gh[s.ghAt + j]);
      // f = σ(W_if x + b_if + W_hf h + b_hf)
      float f = sigmoid(s.gi[s.giAt + hidden + j] + s.gh[s.ghAt + hidden + j]);
      // g = tanh(W_ig x + b_ig + W_hg h + b_hg)
      float g = (float) Math.tanh(s.gi[s.giAt + 2 * hidden + j] + s.gh[s.ghAt + 2 * hidden + j]);
      // o = σ(W_io x + b_io + W_ho h + b_ho)
      float o = sigmoid(s.gi[s.giAt + 3 * hidden + j] + s.gh[s.ghAt + 3 * hidden + j]);
      // c' = f ⊙ c + i ⊙ g
      float c = f * s.c[s.prevAt + j] + i * g;
      // h' = o ⊙ tanh(c')
      float tanhC = (float) Math.tanh(c);
      s.c[s.nextAt + j] = c;
      s.h[s.nextAt + j] = o * tanhC;
      s.saved[s.savedAt + j] = i;
      s.saved[s.savedAt + hidden + j] = f;
      s.saved[s.savedAt + 2 * hidden + j] = g;
      s.saved[s.savedAt + 3 * hidden + j] = o;
      s.saved[s.savedAt + 4 * hidden + j] = tanhC;
    }
  }

  /**
   * The LSTM's backward: dgi = dgh, and the gradient on c, from dh', dc' and what forward saved; no
   * direct part of dh.
   *
   * @param s the buffers, at the row to compute
   */
  public static void lstmBackward(RecurrentBuffers s) {
    lstmBackwardReference(s, Vectors.ON ? GateSimd.lstmBackward(s) : 0);
  }

  /** The scalar loop of {@link #lstmBackward}; same arguments as {@link #gruForwardReference}. */
  public static void lstmBackwardReference(RecurrentBuffers s, int from) {
    int hidden = s.hidden;
    for (int j = from; j < hidden; j++) {
      float dh = s.dh[s.rowAt + j];
      float i = s.saved[s.savedAt + j];
      float f = s.saved[s.savedAt + hidden + j];
      float g = s.saved[s.savedAt + 2 * hidden + j];
      float o = s.saved[s.savedAt + 3 * hidden + j];
      float tanhC = s.saved[s.savedAt + 4 * hidden + j];
      // h' = o ⊙ tanh(c')  ⇒  do = dh' tanh(c'), dc' += dh' o (1 − tanh²(c'))
      float dO = dh * tanhC;
      float dC = s.dc[s.rowAt + j] + dh * o * (1f - tanhC * tanhC);
      // c' = f ⊙ c + i ⊙ g  ⇒  di = dc' g, dg = dc' i, df = dc' c, dc = dc' f
      float dI = dC * g;
      float dG = dC * i;
      float dF = dC * s.c[s.prevAt + j];
      s.dcPrev[s.rowAt + j] = dC * f;
      // h reaches h' only through W_hh: no direct part
      s.dhPrev[s.rowAt + j] = 0f;
      // i, f, o = σ(a)  ⇒  da = d · σ (1 − σ);  g = tanh(a_g)  ⇒  da_g = dg (1 − g²)
      s.dGi[s.giAt + j] = s.dGh[s.ghAt + j] = dI * i * (1f - i);
      s.dGi[s.giAt + hidden + j] = s.dGh[s.ghAt + hidden + j] = dF * f * (1f - f);
      s.dGi[s.giAt + 2 * hidden + j] = s.dGh[s.ghAt + 2 * hidden + j] = dG * (1f - g * g);
      s.dGi[s.giAt + 3 * hidden + j] = s.dGh[s.ghAt + 3 * hidden + j] = dO * o * (1f - o);
    }
  }

  /**
   * The plain RNN's forward: h' = tanh(gi + gh); nothing saved beyond the state.
   *
   * @param s the buffers, at the row to compute
   */
  public static void rnnForward(RecurrentBuffers s) {
    rnnForwardReference(s, Vectors.ON ? GateSimd.rnnForward(s) : 0);
  }

  /** The scalar loop of {@link #rnnForward}; same arguments as {@link #gruForwardReference}. */
  public static void rnnForwardReference(RecurrentBuffers s, int from) {
    for (int j = from; j < s.hidden; j++) {
      // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
      s.h[s.nextAt + j] = (float) Math.tanh(s.gi[s.giAt + j] + s.gh[s.ghAt + j]);
    }
  }

  /**
   * The plain RNN's backward: dgi = dgh = dh' (1 − h'²), the derivative of tanh read off its
   * output; no direct part of dh.
   *
   * @param s the buffers, at the row to compute
   */
  public static void rnnBackward(RecurrentBuffers s) {
    rnnBackwardReference(s, Vectors.ON ? GateSimd.rnnBackward(s) : 0);
  }

  /** The scalar loop of {@link #rnnBackward}; same arguments as {@link #gruForwardReference}. */
  public static void rnnBackwardReference(RecurrentBuffers s, int from) {
    for (int j = from; j < s.hidden; j++) {
      float h = s.h[s.nextAt + j];
      // h' = tanh(a)  ⇒  da = dh' (1 − h'²)
      s.dGi[s.giAt + j] = s.dGh[s.ghAt + j] = s.dh[s.rowAt + j] * (1f - h * h);
      // h reaches h' only through W_hh: no direct part
      s.dhPrev[s.rowAt + j] = 0f;
    }
  }
}
