package dev.tapegrad.ops;

import dev.tapegrad.kernel.GateKernels;
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
 * <p>Each constant's javadoc below derives its step's backward by hand from the forward above.
 * {@link #forward} and {@link #backward} run a step for one batch row through the gate kernels
 * (the internal {@code GateKernels}), whose scalar loops quote these equations line by line; a SIMD
 * twin does the row's whole vectors when the Vector API runs. Backward gets dh' (and for the LSTM dc'),
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
  GRU(3, 1, 4),

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
  LSTM(4, 2, 5),

  /**
   * {@code torch.nn.RNN} with {@code nonlinearity='tanh'}: no gates. Nothing is saved beyond the
   * states: the derivative of tanh is read off its output.
   *
   * <pre>
   *   h' = tanh(a)  ⇒  da = dh' ⊙ (1 − h'²)
   *   dgi = dgh = da      direct part of dh = 0
   * </pre>
   */
  RNN(1, 1, 0);

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
   * gh and the previous state, writes the new state and the saved activations, by the equations
   * above (the internal {@code GateKernels}, SIMD on the row's whole vectors when it runs).
   */
  final void forward(RecurrentBuffers s) {
    switch (this) {
      case GRU -> GateKernels.gruForward(s);
      case LSTM -> GateKernels.lstmForward(s);
      case RNN -> GateKernels.rnnForward(s);
    }
  }

  /**
   * One step's backward for one batch row: reads dh (and dc) and what forward saved, writes dgi,
   * dgh, the direct part of the gradient on the previous h, and (LSTM) the gradient on the
   * previous c, by the derivations above.
   */
  final void backward(RecurrentBuffers s) {
    switch (this) {
      case GRU -> GateKernels.gruBackward(s);
      case LSTM -> GateKernels.lstmBackward(s);
      case RNN -> GateKernels.rnnBackward(s);
    }
  }
}
