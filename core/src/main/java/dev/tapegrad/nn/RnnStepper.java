package dev.tapegrad.nn;

import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.kernel.RnnKernels;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an {@link Rnn} one time step at a time for a single sequence, with no tape and no
 * allocation per step: the inner loop of sampling, where each generated character is fed back as
 * the next input.
 *
 * <p>Each step computes, for every layer, PyTorch's tanh-RNN equation with batch 1:
 * <pre>
 *   gi = W_ih x + b_ih,   gh = W_hh h + b_hh          (two matrix-vector products)
 *   h' = tanh(gi + gh)
 * </pre>
 * using the same step kernel as {@link dev.tapegrad.ops.FusedRnn}. Layer k's input x is layer
 * k−1's new h'; layer 0's is the caller's. Note: the products run as matrix-vector kernels, whose
 * summation order differs from the batched products of {@link Rnn#forward}, so results agree with
 * it to float rounding (about 1e-6), not bit for bit.
 *
 * <p>The stepper reads the RNN's parameters live, so it sees every update; it owns its hidden
 * state and scratch buffers, so it is not thread-safe (give each thread its own).
 *
 * <pre>{@code
 * RnnStepper stepper = RnnStepper.of(rnn);
 * for (float[] x : inputs) {
 *   float[] h = stepper.step(x, 0);   // the last layer's new hidden state (a live buffer)
 * }
 * }</pre>
 */
public final class RnnStepper {

  private final List<RnnCell> cells;
  private final int hidden;
  private final float[][] state;
  private final float[] gi;
  private final float[] gh;

  private RnnStepper(Rnn rnn) {
    this.cells = rnn.cells();
    this.hidden = rnn.hidden();
    this.state = new float[cells.size()][hidden];
    this.gi = new float[hidden];
    this.gh = new float[hidden];
  }

  /**
   * Returns a stepper over {@code rnn}'s parameters, with a zero hidden state.
   *
   * @param rnn the RNN
   * @return the stepper
   */
  public static RnnStepper of(Rnn rnn) {
    return new RnnStepper(rnn);
  }

  /**
   * Advances every layer by one step.
   *
   * @param x the input, at least {@code inputSize} floats from {@code offset}
   * @param offset index of x[0]
   * @return the last layer's new hidden state, H floats (a live buffer: copy it to keep it)
   * @throws IndexOutOfBoundsException if x has fewer than {@code inputSize} floats from
   *     {@code offset}
   */
  public float[] step(float[] x, int offset) {
    float[] input = x;
    int inputOffset = offset;
    for (int k = 0; k < cells.size(); k++) {
      RnnCell cell = cells.get(k);
      int in = cell.inputSize();
      // gi = W_ih x + b_ih,  gh = W_hh h + b_hh
      System.arraycopy(cell.biasIh().value().data(), 0, gi, 0, hidden);
      Kernels.matvec(cell.weightIh().value().data(), 0, input, inputOffset, gi, 0, hidden, in);
      System.arraycopy(cell.biasHh().value().data(), 0, gh, 0, hidden);
      Kernels.matvec(cell.weightHh().value().data(), 0, state[k], 0, gh, 0, hidden, hidden);
      // h' = tanh(gi + gh) (batch 1, one step); h is read only through gh, so h' overwrites it
      RnnKernels.stepForwardReference(gi, 0, hidden, gh, state[k], 0, 1, hidden);
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
   * Sets every layer's hidden state. Nothing changes if an argument is rejected.
   *
   * @param states one H-float array per layer, layer 0 first (copied)
   * @throws IllegalArgumentException if there is not one state per layer, or a state does not
   *     have H values
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
    }
    for (int k = 0; k < cells.size(); k++) {
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
