package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.FusedGru;
import dev.tapegrad.ops.SelectStep;
import dev.tapegrad.ops.StackSteps;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A multi-layer GRU over batch-first sequences, {@code torch.nn.GRU(in, H, layers, batch_first=True)}.
 * Layer k reads layer k−1's outputs; layer 0 reads the input.
 *
 * <p>One parameter set, in PyTorch's layout and names ({@code weight_ih_l{k}} 3H×in,
 * {@code weight_hh_l{k}} 3H×H, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}), two implementations
 * behind {@link #forward}: {@link Implementation#REFERENCE} unrolls {@link GruCell} steps built from
 * primitive ops; {@link Implementation#FUSED} runs {@link FusedGru}, one tape entry per layer with a
 * hand-written backward. They compute the same function and the same gradients (a property test
 * holds them to it); the trainer uses FUSED, the docs read REFERENCE.
 *
 * <p>A {@code Gru} keeps reusable buffers for its fused layers (see {@link FusedGru.Workspace}), so
 * like the tape it is meant for one thread at a time.
 *
 * <pre>{@code
 * Gru gru = Gru.create(inputSize, 512, 1, new SplittableRandom(7));
 * Gru.Output out = gru.forward(tape, x, null, Gru.Implementation.FUSED);  // x: N×L×In
 * out.output();        // N×L×H, every step of the last layer (many-to-many)
 * out.hidden().get(0); // N×H, layer 0's final state (many-to-one)
 * }</pre>
 */
public final class Gru implements Module {

  /** Which implementation {@link #forward} runs. */
  public enum Implementation {
    /** Unrolled {@link GruCell} steps from primitive ops: readable, slower. */
    REFERENCE,
    /** {@link FusedGru}: one tape entry per layer, hand-written back-propagation through time. */
    FUSED
  }

  /**
   * What a forward pass returns.
   *
   * @param output the last layer's hidden state at every step, N×L×H
   * @param hidden each layer's final hidden state, N×H, layer 0 first
   */
  public record Output(Variable output, List<Variable> hidden) {
    /**
     * Copies the list.
     *
     * @param output the last layer's hidden state at every step, N×L×H
     * @param hidden each layer's final hidden state, N×H, layer 0 first
     */
    public Output {
      hidden = List.copyOf(hidden);
    }
  }

  private final List<GruCell> cells;
  private final List<FusedGru.Workspace> workspaces = new ArrayList<>();

  private Gru(List<GruCell> cells) {
    this.cells = List.copyOf(cells);
    for (int k = 0; k < cells.size(); k++) {
      workspaces.add(new FusedGru.Workspace());
    }
  }

  /**
   * Returns a GRU with PyTorch's initialisation, uniform(−1/√H, 1/√H).
   *
   * @param inputSize the input width
   * @param hidden the hidden width H
   * @param layers the number of stacked layers, at least 1
   * @param random the only source of randomness
   * @return the GRU
   */
  public static Gru create(int inputSize, int hidden, int layers, RandomGenerator random) {
    if (inputSize < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "Gru: sizes must be at least 1, got input " + inputSize + ", hidden " + hidden + ", layers " + layers);
    }
    List<GruCell> cells = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      cells.add(GruCell.create(k == 0 ? inputSize : hidden, hidden, random, k));
    }
    return new Gru(cells);
  }

  /**
   * Runs every layer over the sequence.
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param h0 each layer's initial hidden state (N×H), or {@code null} for zeros
   * @param implementation which implementation to run
   * @return the last layer's outputs and every layer's final state
   */
  public Output forward(Tape tape, Variable x, List<Variable> h0, Implementation implementation) {
    Objects.requireNonNull(implementation, "implementation");
    if (x.shape().rank() != 3 || x.shape().dim(2) != inputSize()) {
      throw new IllegalArgumentException(
          "Gru: input shape " + x.shape() + " does not match input size " + inputSize() + " (need N×L×In)");
    }
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    if (h0 != null && h0.size() != cells.size()) {
      throw new IllegalArgumentException("Gru: " + h0.size() + " initial states for " + cells.size() + " layers");
    }
    Variable layerInput = x;
    List<Variable> finals = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      GruCell cell = cells.get(k);
      Variable h = h0 == null ? Variable.constant(Tensor.zeros(batch, hidden())) : h0.get(k);
      if (!h.shape().equals(Shape.of(batch, hidden()))) {
        throw new IllegalArgumentException(
            "Gru: initial state of layer " + k + " has shape " + h.shape() + ", need [" + batch + ", " + hidden() + "]");
      }
      if (implementation == Implementation.FUSED) {
        layerInput = FusedGru.apply(tape, layerInput, h, cell.weightIh(), cell.weightHh(), cell.biasIh(),
            cell.biasHh(), workspaces.get(k));
        finals.add(SelectStep.apply(tape, layerInput, steps - 1));
      } else {
        // Unrolling in time: the same cell (the same weights) is applied at every step.
        List<Variable> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
          h = cell.step(tape, SelectStep.apply(tape, layerInput, t), h);
          outputs.add(h);
        }
        layerInput = StackSteps.apply(tape, outputs);
        finals.add(h);
      }
    }
    return new Output(layerInput, finals);
  }

  /** {@return the layers' cells, layer 0 first} */
  public List<GruCell> cells() {
    return cells;
  }

  /** {@return the hidden width H} */
  public int hidden() {
    return cells.get(0).hidden();
  }

  /** {@return the number of layers} */
  public int layers() {
    return cells.size();
  }

  /** {@return the input width of layer 0} */
  public int inputSize() {
    return cells.get(0).inputSize();
  }

  @Override
  public Map<String, Variable> namedParameters() {
    Map<String, Variable> m = new LinkedHashMap<>();
    for (GruCell c : cells) {
      for (Variable v : List.of(c.weightIh(), c.weightHh(), c.biasIh(), c.biasHh())) {
        m.put(v.name(), v);
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
