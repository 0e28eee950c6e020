package dev.tapegrad.nn;

import dev.tapegrad.kernel.GruKernels;
import dev.tapegrad.kernel.Kernels;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link Gru} one time step at a time for a single sequence, with no tape and no
 * allocation per step: the inner loop of sampling, where each generated character is fed back as
 * the next input.
 *
 * <p>Each step computes, for every layer, PyTorch's GRU equations with batch 1:
 * <pre>
 *   gi = W_ih x + b_ih,   gh = W_hh h + b_hh          (two matrix-vector products)
 *   r = σ(gi_r + gh_r),   z = σ(gi_z + gh_z),   n = tanh(gi_n + r ⊙ gh_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * using the same gate kernel as {@link dev.tapegrad.ops.FusedGru}. Note: the products run as
 * matrix-vector kernels, whose summation order differs from the batched products of
 * {@link Gru#forward}, so results agree with it to float rounding (about 1e-6), not bit for bit.
 *
 * <p>The stepper reads the GRU's parameters live, so it sees every update; it owns its hidden
 * state and scratch buffers, so it is not thread-safe (give each thread its own).
 *
 * <pre>{@code
 * GruStepper stepper = GruStepper.of(gru);
 * for (float[] x : inputs) {
 *   float[] h = stepper.step(x, 0);   // the last layer's new hidden state (a live buffer)
 * }
 * }</pre>
 */
public final class GruStepper {

  private final List<GruCell> cells;
  private final int hidden;
  private final float[][] state;
  private final float[] gi;
  private final float[] gh;
  private final float[] r;
  private final float[] z;
  private final float[] n;
  private final float[] g;
  private final float[] next;

  private GruStepper(Gru gru) {
    this.cells = gru.cells();
    this.hidden = gru.hidden();
    this.state = new float[cells.size()][hidden];
    this.gi = new float[3 * hidden];
    this.gh = new float[3 * hidden];
    this.r = new float[hidden];
    this.z = new float[hidden];
    this.n = new float[hidden];
    this.g = new float[hidden];
    this.next = new float[hidden];
  }

  /**
   * Returns a stepper over {@code gru}'s parameters, with a zero hidden state.
   *
   * @param gru the GRU
   * @return the stepper
   */
  public static GruStepper of(Gru gru) {
    return new GruStepper(gru);
  }

  /**
   * Advances every layer by one step.
   *
   * @param x the input, at least {@code inputSize} floats from {@code offset}
   * @param offset index of x[0]
   * @return the last layer's new hidden state, H floats (a live buffer: copy it to keep it)
   */
  public float[] step(float[] x, int offset) {
    float[] input = x;
    int inputOffset = offset;
    for (int k = 0; k < cells.size(); k++) {
      GruCell cell = cells.get(k);
      int in = cell.inputSize();
      // gi = W_ih x + b_ih,  gh = W_hh h + b_hh
      System.arraycopy(cell.biasIh().value().data(), 0, gi, 0, 3 * hidden);
      Kernels.matvec(cell.weightIh().value().data(), 0, input, inputOffset, gi, 0, 3 * hidden, in);
      System.arraycopy(cell.biasHh().value().data(), 0, gh, 0, 3 * hidden);
      Kernels.matvec(cell.weightHh().value().data(), 0, state[k], 0, gh, 0, 3 * hidden, hidden);
      // r, z, n and h' (batch 1, one step)
      GruKernels.stepForwardReference(gi, 0, 3 * hidden, gh, state[k], 0, r, z, n, g, 0, next, 0, 1, hidden);
      System.arraycopy(next, 0, state[k], 0, hidden);
      input = state[k];
      inputOffset = 0;
    }
    return state[cells.size() - 1];
  }

  /**
   * Returns layer {@code layer}'s hidden state (a live buffer).
   *
   * @param layer the layer, from 0
   * @return H floats
   */
  public float[] hidden(int layer) {
    return state[layer];
  }

  /**
   * Sets every layer's hidden state.
   *
   * @param states one H-float array per layer (copied)
   */
  public void setHidden(List<float[]> states) {
    if (states.size() != cells.size()) {
      throw new IllegalArgumentException(states.size() + " states for " + cells.size() + " layers");
    }
    for (int k = 0; k < cells.size(); k++) {
      if (states.get(k).length != hidden) {
        throw new IllegalArgumentException(
            "state of layer " + k + " has " + states.get(k).length + " values, need " + hidden);
      }
      System.arraycopy(states.get(k), 0, state[k], 0, hidden);
    }
  }

  /** Sets every layer's hidden state to zeros. */
  public void reset() {
    for (float[] s : state) {
      Arrays.fill(s, 0f);
    }
  }
}
