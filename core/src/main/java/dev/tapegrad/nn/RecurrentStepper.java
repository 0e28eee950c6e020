package dev.tapegrad.nn;

import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.FusedRecurrent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link Recurrent} layer one time step at a time for a single sequence, with no tape and
 * no allocation per step: the inner loop of sampling, where each generated character is fed back
 * as the next input.
 *
 * <p>Each step runs, for every layer, the cell's equations with batch 1 through
 * {@link FusedRecurrent#step}: the same gate math as training, with matrix-vector products for
 * the two projections. Layer k's input is layer k−1's new h; layer 0's is the caller's. Note:
 * matrix-vector products sum in another order than the batched products of
 * {@link Recurrent#forward}, so the two agree to float rounding (about 1e-6), not bit for bit.
 *
 * <p>The stepper reads the layer's parameters live, so it sees every update; it owns its state and
 * scratch buffers, so it is not thread-safe (give each thread its own). On the SIMD kernels each
 * step shares its larger matrix-vector products with one thread of the caller's
 * {@link java.util.concurrent.ForkJoinPool}, which spins for about 0.2 ms after each step waiting
 * for the next, then returns to the pool (see {@link dev.tapegrad.tensor.Backend}).
 *
 * <pre>{@code
 * RecurrentStepper stepper = RecurrentStepper.of(gru);
 * for (float[] x : inputs) {
 *   float[] h = stepper.step(x, 0);   // the last layer's new hidden state (a live buffer)
 * }
 * }</pre>
 */
public final class RecurrentStepper {

  private final Recurrent layer;
  private final float[][] h;
  private final float[][] c;
  private final FusedRecurrent.Workspace[] work;

  private RecurrentStepper(Recurrent layer) {
    this.layer = layer;
    int layers = layer.layers();
    this.h = new float[layers][layer.hidden()];
    this.c = layer.kind().states() == 2 ? new float[layers][layer.hidden()] : null;
    this.work = new FusedRecurrent.Workspace[layers];
    Arrays.setAll(work, k -> new FusedRecurrent.Workspace());
  }

  /**
   * Returns a stepper over {@code layer}'s parameters, with a zero state.
   *
   * @param layer the recurrent layer
   * @return the stepper
   */
  public static RecurrentStepper of(Recurrent layer) {
    return new RecurrentStepper(layer);
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
    for (int k = 0; k < h.length; k++) {
      RecurrentCell cell = layer.cells().get(k);
      FusedRecurrent.step(layer.kind(), cell.weightIh().value(), cell.weightHh().value(), cell.biasIh().value(),
          cell.biasHh().value(), input, inputOffset, h[k], c == null ? null : c[k], work[k]);
      input = h[k];
      inputOffset = 0;
    }
    return h[h.length - 1];
  }

  /**
   * Returns layer {@code layer}'s hidden state h (a live buffer).
   *
   * @param layer the layer, from 0
   * @return H floats
   */
  public float[] hidden(int layer) {
    return h[layer];
  }

  /**
   * Returns layer {@code layer}'s LSTM cell state c (a live buffer).
   *
   * @param layer the layer, from 0
   * @return H floats
   * @throws IllegalStateException if the cell is not an LSTM
   */
  public float[] cell(int layer) {
    if (c == null) {
      throw new IllegalStateException(this.layer.kind() + " has no cell state");
    }
    return c[layer];
  }

  /**
   * Returns the names of the cell's gates, PyTorch's, in the order its weights stack them:
   * r, z, n for the GRU (reset, update, new); i, f, g, o for the LSTM (input, forget, cell
   * candidate, output); none for the plain RNN.
   *
   * @return the names, for {@link #gate}
   */
  public List<String> gateNames() {
    return switch (layer.kind()) {
      case GRU -> List.of("r", "z", "n");
      case LSTM -> List.of("i", "f", "g", "o");
      case RNN -> List.of();
    };
  }

  /**
   * Returns a gate's activations in layer {@code layer} at the last step: the values the step
   * computed its new state from ({@link CellKind} gives the equations), each after its sigmoid (or,
   * for the GRU's n and the LSTM's g, its tanh). With {@link #hidden} and {@link #cell} it shows
   * what each layer did at the last character: for the GRU, h' = (1 − z) ⊙ n + z ⊙ h.
   *
   * <pre>{@code
   * stepper.step(x, 0);
   * float[] z = stepper.gate(0, "z");   // layer 0's update gate: near 1 keeps a unit's old value
   * }</pre>
   *
   * @param layer the layer, from 0
   * @param name one of {@link #gateNames()}
   * @return H floats, a copy; {@link #reset} and {@link #setState} leave them as they were
   * @throws IllegalArgumentException naming the gates if the cell has no gate {@code name}
   * @throws IndexOutOfBoundsException if there is no layer {@code layer}
   * @throws IllegalStateException if no step has been made yet
   */
  public float[] gate(int layer, String name) {
    int gate = gateNames().indexOf(name);
    if (gate < 0) {
      throw new IllegalArgumentException(this.layer.kind() + " has no gate '" + name + "'; its gates are "
          + gateNames());
    }
    Objects.checkIndex(layer, h.length);
    return work[layer].stepGate(gate);
  }

  /**
   * Sets every layer's state, after checking all of it: a bad value changes nothing.
   *
   * @param hs one H-float hidden state per layer (copied)
   * @param cs one H-float cell state per layer for an LSTM (copied); {@code null} for GRU and RNN
   * @throws IllegalArgumentException naming the layer if a count or length is wrong, or if cell
   *     states are given for a cell that has none, or missing for an LSTM
   */
  public void setState(List<float[]> hs, List<float[]> cs) {
    CellKind kind = layer.kind();
    if ((c == null) != (cs == null)) {
      throw new IllegalArgumentException(kind + (c == null ? " has no cell state, but one was given"
          : " needs a cell state for every layer"));
    }
    check("h", hs);
    if (cs != null) {
      check("c", cs);
    }
    for (int k = 0; k < h.length; k++) {
      System.arraycopy(hs.get(k), 0, h[k], 0, h[k].length);
      if (cs != null) {
        System.arraycopy(cs.get(k), 0, c[k], 0, c[k].length);
      }
    }
  }

  private void check(String what, List<float[]> states) {
    if (states.size() != h.length) {
      throw new IllegalArgumentException(states.size() + " " + what + " states for " + h.length + " layers");
    }
    for (int k = 0; k < h.length; k++) {
      if (states.get(k).length != layer.hidden()) {
        throw new IllegalArgumentException(what + " of layer " + k + " has " + states.get(k).length
            + " values, need " + layer.hidden());
      }
    }
  }

  /** Sets every layer's state to zeros. */
  public void reset() {
    for (int k = 0; k < h.length; k++) {
      Arrays.fill(h[k], 0f);
      if (c != null) {
        Arrays.fill(c[k], 0f);
      }
    }
  }
}
