package dev.tapegrad.nn;

import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.kernel.LstmKernels;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an {@link Lstm} one time step at a time for a single sequence, with no tape and no
 * allocation per step: the inner loop of sampling, where each generated character is fed back as
 * the next input.
 *
 * <p>Each step computes, for every layer, PyTorch's LSTM equations with batch 1, gates in
 * PyTorch's order i, f, g, o:
 * <pre>
 *   gi = W_ih x + b_ih,   gh = W_hh h + b_hh          (two matrix-vector products, 4H each)
 *   [a_i | a_f | a_g | a_o] = gi + gh
 *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * using the same gate kernel as {@link dev.tapegrad.ops.FusedLstm}. Layer k's input x is layer
 * k−1's new h'; layer 0's is the caller's. Note: the products run as matrix-vector kernels, whose
 * summation order differs from the batched products of {@link Lstm#forward}, so results agree
 * with it to float rounding (about 1e-6), not bit for bit.
 *
 * <p>The stepper reads the LSTM's parameters live, so it sees every update; it owns its states
 * (h and c per layer) and scratch buffers, so it is not thread-safe (give each thread its own).
 *
 * <pre>{@code
 * LstmStepper stepper = LstmStepper.of(lstm);
 * for (float[] x : inputs) {
 *   float[] h = stepper.step(x, 0);   // the last layer's new hidden state (a live buffer)
 * }
 * float[] c = stepper.cell(lstm.layers() - 1);   // and its cell state
 * }</pre>
 */
public final class LstmStepper {

  private final List<LstmCell> cells;
  private final int hidden;
  private final float[][] hState;
  private final float[][] cState;
  private final float[] gi;
  private final float[] gh;
  private final float[] i;
  private final float[] f;
  private final float[] g;
  private final float[] o;
  private final float[] tanhC;
  private final float[] hNext;
  private final float[] cNext;

  private LstmStepper(Lstm lstm) {
    this.cells = lstm.cells();
    this.hidden = lstm.hidden();
    this.hState = new float[cells.size()][hidden];
    this.cState = new float[cells.size()][hidden];
    this.gi = new float[4 * hidden];
    this.gh = new float[4 * hidden];
    this.i = new float[hidden];
    this.f = new float[hidden];
    this.g = new float[hidden];
    this.o = new float[hidden];
    this.tanhC = new float[hidden];
    this.hNext = new float[hidden];
    this.cNext = new float[hidden];
  }

  /**
   * Returns a stepper over {@code lstm}'s parameters, with zero hidden and cell states.
   *
   * @param lstm the LSTM
   * @return the stepper
   */
  public static LstmStepper of(Lstm lstm) {
    return new LstmStepper(lstm);
  }

  /**
   * Advances every layer by one step.
   *
   * @param x the input, at least {@code inputSize} floats from {@code offset}
   * @param offset index of x[0]
   * @return the last layer's new hidden state h', H floats (a live buffer: copy it to keep it)
   * @throws IndexOutOfBoundsException if x has fewer than {@code inputSize} floats from
   *     {@code offset}
   */
  public float[] step(float[] x, int offset) {
    float[] input = x;
    int inputOffset = offset;
    for (int k = 0; k < cells.size(); k++) {
      LstmCell cell = cells.get(k);
      int in = cell.inputSize();
      // gi = W_ih x + b_ih,  gh = W_hh h + b_hh  (rows i | f | g | o)
      System.arraycopy(cell.biasIh().value().data(), 0, gi, 0, 4 * hidden);
      Kernels.matvec(cell.weightIh().value().data(), 0, input, inputOffset, gi, 0, 4 * hidden, in);
      System.arraycopy(cell.biasHh().value().data(), 0, gh, 0, 4 * hidden);
      Kernels.matvec(cell.weightHh().value().data(), 0, hState[k], 0, gh, 0, 4 * hidden, hidden);
      // i, f, g, o, c' = f ⊙ c + i ⊙ g and h' = o ⊙ tanh(c') (batch 1, one step)
      LstmKernels.stepForwardReference(gi, 0, 4 * hidden, gh, cState[k], 0, i, f, g, o, tanhC, 0, cNext, hNext, 0,
          1, hidden);
      System.arraycopy(hNext, 0, hState[k], 0, hidden);
      System.arraycopy(cNext, 0, cState[k], 0, hidden);
      input = hState[k];
      inputOffset = 0;
    }
    return hState[cells.size() - 1];
  }

  /**
   * Returns layer {@code layer}'s hidden state h (a live buffer).
   *
   * @param layer the layer, from 0
   * @return H floats
   */
  public float[] hidden(int layer) {
    return hState[layer];
  }

  /**
   * Returns layer {@code layer}'s cell state c (a live buffer).
   *
   * @param layer the layer, from 0
   * @return H floats
   */
  public float[] cell(int layer) {
    return cState[layer];
  }

  /**
   * Sets every layer's hidden and cell state, as {@link Lstm#forward}'s h0 and c0 do. Both are
   * set together because an LSTM's state is the pair: an h without its c is not a state the
   * layer ever produces. Nothing changes if an argument is rejected.
   *
   * @param h one H-float hidden state per layer, layer 0 first (copied)
   * @param c one H-float cell state per layer, layer 0 first (copied)
   * @throws IllegalArgumentException if there is not one h and one c per layer, or one of them
   *     does not have H values
   */
  public void setState(List<float[]> h, List<float[]> c) {
    if (h.size() != cells.size() || c.size() != cells.size()) {
      throw new IllegalArgumentException(
          h.size() + " h and " + c.size() + " c states for " + cells.size() + " layers");
    }
    for (int k = 0; k < cells.size(); k++) {
      if (h.get(k).length != hidden) {
        throw new IllegalArgumentException(
            "h of layer " + k + " has " + h.get(k).length + " values, need " + hidden);
      }
      if (c.get(k).length != hidden) {
        throw new IllegalArgumentException(
            "c of layer " + k + " has " + c.get(k).length + " values, need " + hidden);
      }
    }
    for (int k = 0; k < cells.size(); k++) {
      System.arraycopy(h.get(k), 0, hState[k], 0, hidden);
      System.arraycopy(c.get(k), 0, cState[k], 0, hidden);
    }
  }

  /** Sets every layer's hidden and cell state to zeros. */
  public void reset() {
    for (int k = 0; k < cells.size(); k++) {
      Arrays.fill(hState[k], 0f);
      Arrays.fill(cState[k], 0f);
    }
  }
}
