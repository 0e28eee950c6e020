package dev.tapegrad.ops;

import static dev.tapegrad.kernel.ElementwiseKernels.sigmoid;

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
 * writing through {@link Buffers}. Backward gets dh' (and for the LSTM dc'), the gradient reaching
 * the step's new state from outside the step (the layer's output and what step t+1 sent back),
 * and writes the gradients of the two pre-activation blocks, gi and gh (equal for RNN and LSTM,
 * where both enter as a plain sum; different for the GRU, where the reset gate scales
 * {@code gh_n}), plus the part of the gradient on the previous state that does not pass through
 * W_hh.
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
    void forward(Buffers s, int t, int b) {
      int hidden = s.hidden();
      float[] h = s.h();
      float[] act = s.saved();
      int gi = s.giRow(t, b);
      int gh = s.ghRow(b);
      int prev = s.stateRow(t, b);
      int next = s.stateRow(t + 1, b);
      int r = s.savedRow(t, b);
      int z = r + hidden;
      int n = z + hidden;
      int ghn = n + hidden;
      for (int j = 0; j < hidden; j++) {
        // r = σ(W_ir x + b_ir + W_hr h + b_hr)
        float rj = sigmoid(s.gi()[gi + j] + s.gh()[gh + j]);
        // z = σ(W_iz x + b_iz + W_hz h + b_hz)
        float zj = sigmoid(s.gi()[gi + hidden + j] + s.gh()[gh + hidden + j]);
        // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        float ghnj = s.gh()[gh + 2 * hidden + j];
        float nj = (float) Math.tanh(s.gi()[gi + 2 * hidden + j] + rj * ghnj);
        // h' = (1 − z) ⊙ n + z ⊙ h
        h[next + j] = (1f - zj) * nj + zj * h[prev + j];
        act[r + j] = rj;
        act[z + j] = zj;
        act[n + j] = nj;
        act[ghn + j] = ghnj;
      }
    }

    @Override
    void backward(Buffers s, int t, int b) {
      int hidden = s.hidden();
      float[] act = s.saved();
      int gi = s.giRow(t, b);
      int gh = s.ghRow(b);
      int prev = s.stateRow(t, b);
      int r = s.savedRow(t, b);
      int z = r + hidden;
      int n = z + hidden;
      int ghn = n + hidden;
      for (int j = 0; j < hidden; j++) {
        float dh = s.dh()[b * hidden + j];
        float rj = act[r + j];
        float zj = act[z + j];
        float nj = act[n + j];
        // h' = (1 − z) ⊙ n + z ⊙ h  ⇒  dn = dh'(1 − z), dz = dh'(h − n), dh = dh' z
        float dn = dh * (1f - zj);
        float dz = dh * (s.h()[prev + j] - nj);
        s.dhPrev()[b * hidden + j] = dh * zj;
        // n = tanh(a_n)  ⇒  da_n = dn (1 − n²)
        float daN = dn * (1f - nj * nj);
        // a_n = gi_n + r ⊙ ghn  ⇒  dr = da_n ghn, dghn = da_n r
        float dr = daN * act[ghn + j];
        float dGhn = daN * rj;
        // z = σ(a_z), r = σ(a_r)  ⇒  da = d · σ (1 − σ)
        float daZ = dz * zj * (1f - zj);
        float daR = dr * rj * (1f - rj);
        s.dGi()[gi + j] = daR;
        s.dGi()[gi + hidden + j] = daZ;
        s.dGi()[gi + 2 * hidden + j] = daN;
        s.dGh()[gh + j] = daR;
        s.dGh()[gh + hidden + j] = daZ;
        s.dGh()[gh + 2 * hidden + j] = dGhn;
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
    void forward(Buffers s, int t, int b) {
      int hidden = s.hidden();
      float[] act = s.saved();
      int gi = s.giRow(t, b);
      int gh = s.ghRow(b);
      int prev = s.stateRow(t, b);
      int next = s.stateRow(t + 1, b);
      int i = s.savedRow(t, b);
      int f = i + hidden;
      int g = f + hidden;
      int o = g + hidden;
      int tanhC = o + hidden;
      for (int j = 0; j < hidden; j++) {
        // i = σ(W_ii x + b_ii + W_hi h + b_hi)
        float ij = sigmoid(s.gi()[gi + j] + s.gh()[gh + j]);
        // f = σ(W_if x + b_if + W_hf h + b_hf)
        float fj = sigmoid(s.gi()[gi + hidden + j] + s.gh()[gh + hidden + j]);
        // g = tanh(W_ig x + b_ig + W_hg h + b_hg)
        float gj = (float) Math.tanh(s.gi()[gi + 2 * hidden + j] + s.gh()[gh + 2 * hidden + j]);
        // o = σ(W_io x + b_io + W_ho h + b_ho)
        float oj = sigmoid(s.gi()[gi + 3 * hidden + j] + s.gh()[gh + 3 * hidden + j]);
        // c' = f ⊙ c + i ⊙ g
        float cj = fj * s.c()[prev + j] + ij * gj;
        // h' = o ⊙ tanh(c')
        float tj = (float) Math.tanh(cj);
        s.c()[next + j] = cj;
        s.h()[next + j] = oj * tj;
        act[i + j] = ij;
        act[f + j] = fj;
        act[g + j] = gj;
        act[o + j] = oj;
        act[tanhC + j] = tj;
      }
    }

    @Override
    void backward(Buffers s, int t, int b) {
      int hidden = s.hidden();
      float[] act = s.saved();
      int gi = s.giRow(t, b);
      int gh = s.ghRow(b);
      int prev = s.stateRow(t, b);
      int i = s.savedRow(t, b);
      int f = i + hidden;
      int g = f + hidden;
      int o = g + hidden;
      int tanhC = o + hidden;
      for (int j = 0; j < hidden; j++) {
        float dh = s.dh()[b * hidden + j];
        float ij = act[i + j];
        float fj = act[f + j];
        float gj = act[g + j];
        float oj = act[o + j];
        float tj = act[tanhC + j];
        // h' = o ⊙ tanh(c')  ⇒  do = dh' tanh(c'), dc' += dh' o (1 − tanh²(c'))
        float dO = dh * tj;
        float dC = s.dc()[b * hidden + j] + dh * oj * (1f - tj * tj);
        // c' = f ⊙ c + i ⊙ g  ⇒  di = dc' g, dg = dc' i, df = dc' c, dc = dc' f
        float dI = dC * gj;
        float dG = dC * ij;
        float dF = dC * s.c()[prev + j];
        s.dcPrev()[b * hidden + j] = dC * fj;
        // h reaches h' only through W_hh: no direct part
        s.dhPrev()[b * hidden + j] = 0f;
        // i, f, o = σ(a)  ⇒  da = d · σ (1 − σ);  g = tanh(a_g)  ⇒  da_g = dg (1 − g²)
        float daI = dI * ij * (1f - ij);
        float daF = dF * fj * (1f - fj);
        float daG = dG * (1f - gj * gj);
        float daO = dO * oj * (1f - oj);
        s.dGi()[gi + j] = s.dGh()[gh + j] = daI;
        s.dGi()[gi + hidden + j] = s.dGh()[gh + hidden + j] = daF;
        s.dGi()[gi + 2 * hidden + j] = s.dGh()[gh + 2 * hidden + j] = daG;
        s.dGi()[gi + 3 * hidden + j] = s.dGh()[gh + 3 * hidden + j] = daO;
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
    void forward(Buffers s, int t, int b) {
      int hidden = s.hidden();
      int gi = s.giRow(t, b);
      int gh = s.ghRow(b);
      int next = s.stateRow(t + 1, b);
      for (int j = 0; j < hidden; j++) {
        // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
        s.h()[next + j] = (float) Math.tanh(s.gi()[gi + j] + s.gh()[gh + j]);
      }
    }

    @Override
    void backward(Buffers s, int t, int b) {
      int hidden = s.hidden();
      int gi = s.giRow(t, b);
      int gh = s.ghRow(b);
      int next = s.stateRow(t + 1, b);
      for (int j = 0; j < hidden; j++) {
        float hj = s.h()[next + j];
        // h' = tanh(a)  ⇒  da = dh' (1 − h'²)
        float da = s.dh()[b * hidden + j] * (1f - hj * hj);
        s.dGi()[gi + j] = s.dGh()[gh + j] = da;
        // h reaches h' only through W_hh: no direct part
        s.dhPrev()[b * hidden + j] = 0f;
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
   * One step's forward for batch row b: reads gi and gh and the previous state, writes the new
   * state and the saved activations.
   */
  abstract void forward(Buffers s, int t, int b);

  /**
   * One step's backward for batch row b: reads dh (and dc) and what forward saved, writes dGi, dGh,
   * the direct part of the gradient on the previous h, and (LSTM) the gradient on the previous c.
   */
  abstract void backward(Buffers s, int t, int b);

  /**
   * The arrays one layer's gate math works in over a chunk: N sequences of L steps, hidden width H,
   * G·H gate columns and A·H saved columns per row ({@link #gates()}, {@link #savedBlocks()}).
   * Time-major arrays hold step t's N×width block at t; batch-first ones hold sequence b's step t
   * at row b·L + t, the order of the input x. A view of mutable buffers, not a value.
   *
   * @param kind the cell kind
   * @param batch N
   * @param steps L
   * @param hidden H
   * @param gi the input projection x W_ihᵀ + b_ih, N·L × G·H, batch-first
   * @param gh this step's hidden projection h_{t−1} W_hhᵀ + b_hh, N × G·H
   * @param h h_0 … h_L, (L+1) × N × H, time-major: step t reads block t and writes block t + 1
   * @param c c_0 … c_L likewise for the LSTM, else {@code null}
   * @param saved every step's saved activations, L × N × A·H, time-major
   * @param dh the gradient reaching h_t from outside the step, N × H
   * @param dc the same for c_t (LSTM), else {@code null}
   * @param dGi receives the gradient of gi, N·L × G·H, batch-first
   * @param dGh receives this step's gradient of gh, N × G·H
   * @param dhPrev receives the part of the gradient on h_{t−1} that does not pass through W_hh, N × H
   * @param dcPrev receives the gradient on c_{t−1} (LSTM), N × H
   */
  record Buffers(CellKind kind, int batch, int steps, int hidden, float[] gi, float[] gh, float[] h, float[] c,
      float[] saved, float[] dh, float[] dc, float[] dGi, float[] dGh, float[] dhPrev, float[] dcPrev) {

    /** {@return the index of row (b, t) of gi and dGi} */
    int giRow(int t, int b) {
      return (b * steps + t) * kind.gates * hidden;
    }

    /** {@return the index of row b of gh and dGh} */
    int ghRow(int b) {
      return b * kind.gates * hidden;
    }

    /** {@return the index of sequence b's state after t steps in h and c} */
    int stateRow(int t, int b) {
      return (t * batch + b) * hidden;
    }

    /** {@return the index of step t's saved activations for sequence b} */
    int savedRow(int t, int b) {
      return (t * batch + b) * kind.savedBlocks * hidden;
    }
  }
}
