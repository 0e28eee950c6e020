package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Gru.Implementation;
import dev.tapegrad.ops.Dropout;
import dev.tapegrad.ops.FusedRnn;
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
 * A multi-layer plain tanh RNN over batch-first sequences,
 * {@code torch.nn.RNN(in, H, layers, nonlinearity='tanh', batch_first=True)}. Layer k reads layer
 * k−1's outputs; layer 0 reads the input. Per layer and step:
 * <pre>
 *   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)
 * </pre>
 *
 * <p>One parameter set, in PyTorch's layout and names ({@code weight_ih_l{k}} H×in,
 * {@code weight_hh_l{k}} H×H, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}), two implementations
 * behind {@link #forward}, chosen with the same {@link Gru.Implementation} as the GRU:
 * {@link Implementation#REFERENCE} unrolls {@link RnnCell} steps built from primitive ops;
 * {@link Implementation#FUSED} runs {@link FusedRnn}, one tape entry per layer with a hand-written
 * backward. They compute the same function and the same gradients (a property test holds them to
 * it).
 *
 * <p>Shapes (N batch, L steps, In input width, H hidden): x (N, L, In); each initial state (N, H);
 * output (N, L, H); each final state (N, H).
 *
 * <pre>{@code
 * Rnn rnn = Rnn.create(inputSize, 256, 2, new SplittableRandom(7));
 * Rnn.Output out = rnn.forward(tape, x, null, Gru.Implementation.FUSED);  // x: N×L×In
 * out.output();        // N×L×H, every step of the last layer
 * out.hidden().get(1); // N×H, layer 1's final state
 * }</pre>
 */
public final class Rnn implements Module {

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

  private final List<RnnCell> cells;

  private Rnn(List<RnnCell> cells) {
    this.cells = List.copyOf(cells);
  }

  /**
   * Returns an RNN with PyTorch's initialisation, uniform(−1/√H, 1/√H).
   *
   * @param inputSize the input width
   * @param hidden the hidden width H
   * @param layers the number of stacked layers, at least 1
   * @param random the only source of randomness
   * @return the RNN
   * @throws IllegalArgumentException if a size is below 1
   */
  public static Rnn create(int inputSize, int hidden, int layers, RandomGenerator random) {
    if (inputSize < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "Rnn: sizes must be at least 1, got input " + inputSize + ", hidden " + hidden + ", layers " + layers);
    }
    List<RnnCell> cells = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      cells.add(RnnCell.create(k == 0 ? inputSize : hidden, hidden, random, k));
    }
    return new Rnn(cells);
  }

  /**
   * Runs every layer over the sequence, with no dropout between layers.
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param h0 each layer's initial hidden state (N×H), or {@code null} for zeros
   * @param implementation which implementation to run
   * @return the last layer's outputs and every layer's final state
   * @throws IllegalArgumentException if x or an initial state has the wrong shape
   */
  public Output forward(Tape tape, Variable x, List<Variable> h0, Implementation implementation) {
    return forward(tape, x, h0, implementation, 0f, null);
  }

  /**
   * Runs every layer over the sequence, with dropout between layers as in
   * {@code torch.nn.RNN(..., dropout=p)}: layer k's output sequence (N×L×H) goes through
   * {@link Dropout} with probability {@code dropout} before layer k+1 reads it, for every layer
   * but the last. The last layer's output sequence is not dropped out, and neither is any final
   * state in {@link Output#hidden()} (layer k's final state is taken before the dropout, as in
   * PyTorch's {@code h_n}). With one layer, dropout changes nothing.
   *
   * <p>Dropout is for training only: at evaluation pass {@code dropout = 0} (or call
   * {@link #forward(Tape, Variable, List, Implementation)}), which is what PyTorch's
   * {@code module.eval()} does. Both implementations apply the same {@link Dropout} op to the same
   * sequences, drawing the masks from {@code random} layer 0 first, so with generators in the same
   * state REFERENCE and FUSED compute the same function.
   *
   * <pre>{@code
   * Rnn rnn = Rnn.create(inputSize, 256, 2, new SplittableRandom(7));
   * RandomGenerator masks = new SplittableRandom(11);
   * Rnn.Output out = rnn.forward(tape, x, null, Gru.Implementation.FUSED, 0.2f, masks);  // training
   * Rnn.Output eval = rnn.forward(tape, x, null, Gru.Implementation.FUSED, 0f, null);    // evaluation
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param h0 each layer's initial hidden state (N×H), or {@code null} for zeros
   * @param implementation which implementation to run
   * @param dropout the probability of zeroing an element of each non-last layer's output, in [0, 1)
   * @param random the source of the dropout masks; may be {@code null} when {@code dropout == 0}
   * @return the last layer's outputs and every layer's final state
   * @throws IllegalArgumentException if x or an initial state has the wrong shape, or dropout is
   *     not in [0, 1)
   * @throws NullPointerException if {@code random} is null and {@code dropout > 0}
   */
  public Output forward(Tape tape, Variable x, List<Variable> h0, Implementation implementation, float dropout,
      RandomGenerator random) {
    Objects.requireNonNull(implementation, "implementation");
    Gru.checkDropout("Rnn", dropout, random);
    if (x.shape().rank() != 3 || x.shape().dim(2) != inputSize()) {
      throw new IllegalArgumentException(
          "Rnn: input shape " + x.shape() + " does not match input size " + inputSize() + " (need N×L×In)");
    }
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    if (h0 != null && h0.size() != cells.size()) {
      throw new IllegalArgumentException("Rnn: " + h0.size() + " initial states for " + cells.size() + " layers");
    }
    Variable layerInput = x;
    List<Variable> finals = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      RnnCell cell = cells.get(k);
      Variable h = h0 == null ? Variable.constant(Tensor.zeros(batch, hidden())) : h0.get(k);
      if (!h.shape().equals(Shape.of(batch, hidden()))) {
        throw new IllegalArgumentException(
            "Rnn: initial state of layer " + k + " has shape " + h.shape() + ", need [" + batch + ", " + hidden() + "]");
      }
      Variable layerOutput;
      if (implementation == Implementation.FUSED) {
        layerOutput = FusedRnn.apply(tape, layerInput, h, cell.weightIh(), cell.weightHh(), cell.biasIh(),
            cell.biasHh());
        finals.add(SelectStep.apply(tape, layerOutput, steps - 1));
      } else {
        // Unrolling in time: the same cell (the same weights) is applied at every step.
        List<Variable> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
          h = cell.step(tape, SelectStep.apply(tape, layerInput, t), h);
          outputs.add(h);
        }
        layerOutput = StackSteps.apply(tape, outputs);
        finals.add(h);
      }
      // Between layers only: the next layer reads a dropped-out copy; the final state above does not.
      boolean last = k == cells.size() - 1;
      layerInput = last ? layerOutput : Dropout.apply(tape, layerOutput, dropout, random);
    }
    return new Output(layerInput, finals);
  }

  /** {@return the layers' cells, layer 0 first} */
  public List<RnnCell> cells() {
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
    for (RnnCell c : cells) {
      for (Variable v : List.of(c.weightIh(), c.weightHh(), c.biasIh(), c.biasHh())) {
        m.put(v.name(), v);
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
