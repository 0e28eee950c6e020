package dev.tapegrad.ops;

import static dev.tapegrad.kernel.ElementwiseKernels.sigmoid;

import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.kernel.RecurrentBuffers;
import java.util.Locale;

/**
 * The three recurrent cells, PyTorch's {@code nn.GRU}, {@code nn.LSTM} and {@code nn.RNN} (tanh),
 * and the one thing that tells them apart: the gate math of a single time step.
 *
 * <p>Every cell starts a step the same way, from two stacked projections of G·H rows each
 * (G gate blocks of H rows, in PyTorch's order):
 * <pre>
 *   gi = W_ih x + b_ih          gh = W_hh h + b_hh
 * </pre>
 * and then applies its gate function:
 * <pre>
 *   RNN  (G = 1)           h' = tanh(gi + gh)
 *
 *   GRU  (G = 3: r, z, n)  r  = σ(gi_r + gh_r)
 *                          z  = σ(gi_z + gh_z)
 *                          n  = tanh(gi_n + r ⊙ gh_n)
 *                          h' = (1 − z) ⊙ n + z ⊙ h
 *
 *   LSTM (G = 4: i, f, g, o)   i = σ(gi_i + gh_i)    f = σ(gi_f + gh_f)
 *                              g = tanh(gi_g + gh_g) o = σ(gi_o + gh_o)
 *                              c' = f ⊙ c + i ⊙ g
 *                              h' = o ⊙ tanh(c')
 * </pre>
 * The loop over time, the projections and the weight gradients are the same for all three and
 * written once, in {@link FusedRecurrent}; the composed reference that spells the same equations
 * with primitive ops is {@code dev.tapegrad.nn.RecurrentCell}.
 *
 * <p>Each constant below holds its step's forward and backward for one batch row, reading and
 * writing the layer's buffers (the internal {@code RecurrentBuffers}, named after the math): the
 * scalar reference. When the SIMD kernels run, the internal {@code GateSimd} does the same math on
 * the row's whole vectors and the reference the rest. Backward gets dh' (and for the LSTM dc'),
 * the gradient reaching the step's new state from outside the step (the layer's output and what
 * step t+1 sent back), and writes the gradients of the two pre-activation blocks, gi and gh (equal
 * for RNN and LSTM, where both enter as a plain sum; different for the GRU, where the reset gate
 * scales {@code gh_n}), plus the part of the gradient on the previous state that does not pass
 * through W_hh.
 */
public enum CellKind {

  /**
   * {@code torch.nn.GRU}: reset and update gates. Saved per step: r, z, n and
   * {@code ghn = W_hn h + b_hn} (stored, not recomputed: backward needs it and it would take the
   * hidden-side product again).
   *
   * <pre>
   *   dn   = dh' ⊙ (1 − z)        dz = dh' ⊙ (h − n)        direct part of dh = dh' ⊙ z
   *   da_n = dn ⊙ (1 − n²)
   *   dr   = da_n ⊙ ghn           dghn = da_n ⊙ r
   *   da_z = dz ⊙ z (1 − z)       da_r = dr ⊙ r (1 − r)
   *   dgi  = [da_r | da_z | da_n]     dgh = [da_r | da_z | dghn]
   * </pre>
   */
  GRU(3, 1, 4) {
    @Override
    void forwardFrom(RecurrentBuffers s, int from) {
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

    @Override
    void backwardFrom(RecurrentBuffers s, int from) {
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
  },

  /**
   * {@code torch.nn.LSTM}: input, forget and output gates and a cell candidate g, with a cell state
   * c beside h. Saved per step: i, f, g, o and tanh(c') (stored, not recomputed: backward then
   * calls no transcendental function).
   *
   * <pre>
   *   dc'  += dh' ⊙ o ⊙ (1 − tanh²(c'))     (h' = o ⊙ tanh(c') also depends on c')
   *   do    = dh' ⊙ tanh(c')
   *   di    = dc' ⊙ g      dg = dc' ⊙ i      df = dc' ⊙ c      dc (to step t−1) = dc' ⊙ f
   *   da_i  = di ⊙ i (1 − i)     da_f = df ⊙ f (1 − f)
   *   da_g  = dg ⊙ (1 − g²)      da_o = do ⊙ o (1 − o)
   *   dgi = dgh = [da_i | da_f | da_g | da_o]      direct part of dh = 0
   * </pre>
   */
  LSTM(4, 2, 5) {
    @Override
    void forwardFrom(RecurrentBuffers s, int from) {
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

    @Override
    void backwardFrom(RecurrentBuffers s, int from) {
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
  },

  /**
   * {@code torch.nn.RNN} with {@code nonlinearity='tanh'}: no gates. Nothing is saved beyond the
   * states: the derivative of tanh is read off its output.
   *
   * <pre>
   *   h' = tanh(a)  ⇒  da = dh' ⊙ (1 − h'²)
   *   dgi = dgh = da      direct part of dh = 0
   * </pre>
   */
  RNN(1, 1, 0) {
    @Override
    void forwardFrom(RecurrentBuffers s, int from) {
      for (int j = from; j < s.hidden; j++) {
        // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
        s.h[s.nextAt + j] = (float) Math.tanh(s.gi[s.giAt + j] + s.gh[s.ghAt + j]);
      }
    }

    @Override
    void backwardFrom(RecurrentBuffers s, int from) {
      for (int j = from; j < s.hidden; j++) {
        float h = s.h[s.nextAt + j];
        // h' = tanh(a)  ⇒  da = dh' (1 − h'²)
        s.dGi[s.giAt + j] = s.dGh[s.ghAt + j] = s.dh[s.rowAt + j] * (1f - h * h);
        // h reaches h' only through W_hh: no direct part
        s.dhPrev[s.rowAt + j] = 0f;
      }
    }
  };

  private final int gates;
  private final int states;
  private final int savedBlocks;

  CellKind(int gates, int states, int savedBlocks) {
    this.gates = gates;
    this.states = states;
    this.savedBlocks = savedBlocks;
  }

  /** {@return the name on the command line and in checkpoints: gru, lstm or rnn} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the kind called {@code id}.
   *
   * @param id gru, lstm or rnn (any case)
   * @return the kind
   * @throws IllegalArgumentException naming the choices if {@code id} is none of them
   */
  public static CellKind parse(String id) {
    for (CellKind k : values()) {
      if (k.id().equalsIgnoreCase(id)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown cell '" + id + "': choose gru, lstm or rnn");
  }

  /** {@return G, how many H-row gate blocks {@code weight_ih} and {@code weight_hh} stack: 3, 4 or 1} */
  public int gates() {
    return gates;
  }

  /** {@return how many N×H states the cell carries from step to step: 2 for the LSTM (h, c), else 1 (h)} */
  public int states() {
    return states;
  }

  /** {@return how many H-wide blocks of activations a step saves for backward} */
  int savedBlocks() {
    return savedBlocks;
  }

  /**
   * One step's forward for one batch row, the row {@link RecurrentBuffers#at} chose: reads gi and
   * gh and the previous state, writes the new state and the saved activations. The SIMD kernel
   * does the whole vectors of the row when it runs ({@link Kernels} says how many units it did, 0
   * on the scalar path), the scalar reference below the rest.
   */
  final void forward(RecurrentBuffers s) {
    int from = switch (this) {
      case GRU -> Kernels.gruForward(s);
      case LSTM -> Kernels.lstmForward(s);
      case RNN -> Kernels.rnnForward(s);
    };
    forwardFrom(s, from);
  }

  /**
   * One step's backward for one batch row: reads dh (and dc) and what forward saved, writes dgi,
   * dgh, the direct part of the gradient on the previous h, and (LSTM) the gradient on the
   * previous c. Split between {@link GateSimd} and the scalar reference as {@link #forward} is.
   */
  final void backward(RecurrentBuffers s) {
    int from = switch (this) {
      case GRU -> Kernels.gruBackward(s);
      case LSTM -> Kernels.lstmBackward(s);
      case RNN -> Kernels.rnnBackward(s);
    };
    backwardFrom(s, from);
  }

  /** The scalar reference forward, for hidden units [from, H) of the row. */
  abstract void forwardFrom(RecurrentBuffers s, int from);

  /** The scalar reference backward, for hidden units [from, H) of the row. */
  abstract void backwardFrom(RecurrentBuffers s, int from);
}
