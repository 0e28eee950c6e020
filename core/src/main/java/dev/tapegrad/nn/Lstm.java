package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Gru.Implementation;
import dev.tapegrad.ops.Dropout;
import dev.tapegrad.ops.FusedLstm;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.ops.SelectStep;
import dev.tapegrad.ops.SliceColumns;
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
 * A multi-layer LSTM over batch-first sequences, {@code torch.nn.LSTM(in, H, layers, batch_first=True)}.
 * Layer k reads layer k−1's hidden outputs; layer 0 reads the input. Per layer and step, with
 * gates in PyTorch's order i, f, g, o:
 * <pre>
 *   [a_i | a_f | a_g | a_o] = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh
 *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 * </pre>
 *
 * <p>One parameter set, in PyTorch's layout and names ({@code weight_ih_l{k}} 4H×in,
 * {@code weight_hh_l{k}} 4H×H, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}, rows i | f | g | o), so
 * its weights load into {@code torch.nn.LSTM} unchanged. Two implementations behind
 * {@link #forward}, chosen with the same {@link Gru.Implementation} as the GRU:
 * {@link Implementation#REFERENCE} unrolls {@link LstmCell} steps built from primitive ops;
 * {@link Implementation#FUSED} runs {@link FusedLstm}, one tape entry per layer with a hand-written
 * backward. They compute the same function and the same gradients (a property test holds them to
 * it).
 *
 * <p>Shapes (N batch, L steps, In input width, H hidden): x (N, L, In); each initial state h0 and
 * c0 (N, H); output (N, L, H); each final state (N, H).
 *
 * <pre>{@code
 * Lstm lstm = Lstm.create(inputSize, 256, 2, new SplittableRandom(7));
 * Lstm.Output out = lstm.forward(tape, x, null, null, Gru.Implementation.FUSED);  // x: N×L×In
 * out.output();        // N×L×H, every step's h of the last layer
 * out.hidden().get(1); // N×H, layer 1's final h
 * out.cell().get(1);   // N×H, layer 1's final c
 * }</pre>
 */
public final class Lstm implements Module {

  /**
   * What a forward pass returns.
   *
   * @param output the last layer's hidden state at every step, N×L×H
   * @param hidden each layer's final hidden state h, N×H, layer 0 first
   * @param cell each layer's final cell state c, N×H, layer 0 first
   */
  public record Output(Variable output, List<Variable> hidden, List<Variable> cell) {
    /**
     * Copies the lists.
     *
     * @param output the last layer's hidden state at every step, N×L×H
     * @param hidden each layer's final hidden state h, N×H, layer 0 first
     * @param cell each layer's final cell state c, N×H, layer 0 first
     */
    public Output {
      hidden = List.copyOf(hidden);
      cell = List.copyOf(cell);
    }
  }

  private final List<LstmCell> cells;

  private Lstm(List<LstmCell> cells) {
    this.cells = List.copyOf(cells);
  }

  /**
   * Returns an LSTM with PyTorch's initialisation, uniform(−1/√H, 1/√H).
   *
   * @param inputSize the input width
   * @param hidden the hidden width H
   * @param layers the number of stacked layers, at least 1
   * @param random the only source of randomness
   * @return the LSTM
   * @throws IllegalArgumentException if a size is below 1
   */
  public static Lstm create(int inputSize, int hidden, int layers, RandomGenerator random) {
    if (inputSize < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "Lstm: sizes must be at least 1, got input " + inputSize + ", hidden " + hidden + ", layers " + layers);
    }
    List<LstmCell> cells = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      cells.add(LstmCell.create(k == 0 ? inputSize : hidden, hidden, random, k));
    }
    return new Lstm(cells);
  }

  /**
   * Runs every layer over the sequence, with no dropout between layers.
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param h0 each layer's initial hidden state (N×H), or {@code null} for zeros
   * @param c0 each layer's initial cell state (N×H), or {@code null} for zeros
   * @param implementation which implementation to run
   * @return the last layer's outputs and every layer's final states
   * @throws IllegalArgumentException if x or an initial state has the wrong shape
   */
  public Output forward(Tape tape, Variable x, List<Variable> h0, List<Variable> c0,
      Implementation implementation) {
    return forward(tape, x, h0, c0, implementation, 0f, null);
  }

  /**
   * Runs every layer over the sequence, with dropout between layers as in
   * {@code torch.nn.LSTM(..., dropout=p)}: layer k's output sequence of hidden states h (N×L×H)
   * goes through {@link Dropout} with probability {@code dropout} before layer k+1 reads it, for
   * every layer but the last. The last layer's output sequence is not dropped out, and neither is
   * any final state in {@link Output#hidden()} or {@link Output#cell()} (layer k's final h and c
   * are taken before the dropout, as in PyTorch's {@code h_n} and {@code c_n}); the cell states
   * never pass between layers, so dropout does not touch them. With one layer, dropout changes
   * nothing.
   *
   * <p>Dropout is for training only: at evaluation pass {@code dropout = 0} (or call
   * {@link #forward(Tape, Variable, List, List, Implementation)}), which is what PyTorch's
   * {@code module.eval()} does. Both implementations apply the same {@link Dropout} op to the same
   * sequences, drawing the masks from {@code random} layer 0 first, so with generators in the same
   * state REFERENCE and FUSED compute the same function.
   *
   * <pre>{@code
   * Lstm lstm = Lstm.create(inputSize, 256, 2, new SplittableRandom(7));
   * RandomGenerator masks = new SplittableRandom(11);
   * Lstm.Output out = lstm.forward(tape, x, null, null, Gru.Implementation.FUSED, 0.2f, masks);  // training
   * Lstm.Output eval = lstm.forward(tape, x, null, null, Gru.Implementation.FUSED, 0f, null);    // evaluation
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param h0 each layer's initial hidden state (N×H), or {@code null} for zeros
   * @param c0 each layer's initial cell state (N×H), or {@code null} for zeros
   * @param implementation which implementation to run
   * @param dropout the probability of zeroing an element of each non-last layer's output, in [0, 1)
   * @param random the source of the dropout masks; may be {@code null} when {@code dropout == 0}
   * @return the last layer's outputs and every layer's final states
   * @throws IllegalArgumentException if x or an initial state has the wrong shape, or dropout is
   *     not in [0, 1)
   * @throws NullPointerException if {@code random} is null and {@code dropout > 0}
   */
  public Output forward(Tape tape, Variable x, List<Variable> h0, List<Variable> c0,
      Implementation implementation, float dropout, RandomGenerator random) {
    Objects.requireNonNull(implementation, "implementation");
    Gru.checkDropout("Lstm", dropout, random);
    if (x.shape().rank() != 3 || x.shape().dim(2) != inputSize()) {
      throw new IllegalArgumentException(
          "Lstm: input shape " + x.shape() + " does not match input size " + inputSize() + " (need N×L×In)");
    }
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int H = hidden();
    if (h0 != null && h0.size() != cells.size() || c0 != null && c0.size() != cells.size()) {
      throw new IllegalArgumentException("Lstm: " + (h0 == null ? 0 : h0.size()) + " initial h and "
          + (c0 == null ? 0 : c0.size()) + " initial c states for " + cells.size() + " layers");
    }
    Variable layerInput = x;
    List<Variable> finalH = new ArrayList<>();
    List<Variable> finalC = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      LstmCell cell = cells.get(k);
      Variable h = h0 == null ? Variable.constant(Tensor.zeros(batch, H)) : h0.get(k);
      Variable c = c0 == null ? Variable.constant(Tensor.zeros(batch, H)) : c0.get(k);
      if (!h.shape().equals(Shape.of(batch, H)) || !c.shape().equals(Shape.of(batch, H))) {
        throw new IllegalArgumentException("Lstm: initial states of layer " + k + " have shapes " + h.shape()
            + " and " + c.shape() + ", need [" + batch + ", " + H + "]");
      }
      Variable layerOutput;
      if (implementation == Implementation.FUSED) {
        // One entry per layer; row (b, t) of its output is [h_t | c_t].
        Variable hc = FusedLstm.apply(tape, layerInput, h, c, cell.weightIh(), cell.weightHh(), cell.biasIh(),
            cell.biasHh());
        Variable rows = Reshape.apply(tape, hc, batch * steps, 2 * H);
        layerOutput = Reshape.apply(tape, SliceColumns.apply(tape, rows, 0, H), batch, steps, H);
        Variable last = SelectStep.apply(tape, hc, steps - 1);
        finalH.add(SliceColumns.apply(tape, last, 0, H));
        finalC.add(SliceColumns.apply(tape, last, H, 2 * H));
      } else {
        // Unrolling in time: the same cell (the same weights) is applied at every step.
        LstmCell.State state = new LstmCell.State(h, c);
        List<Variable> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
          state = cell.step(tape, SelectStep.apply(tape, layerInput, t), state);
          outputs.add(state.h());
        }
        layerOutput = StackSteps.apply(tape, outputs);
        finalH.add(state.h());
        finalC.add(state.c());
      }
      // Between layers only: the next layer reads a dropped-out copy; the final states above do not.
      boolean lastLayer = k == cells.size() - 1;
      layerInput = lastLayer ? layerOutput : Dropout.apply(tape, layerOutput, dropout, random);
    }
    return new Output(layerInput, finalH, finalC);
  }

  /** {@return the layers' cells, layer 0 first} */
  public List<LstmCell> cells() {
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
    for (LstmCell c : cells) {
      for (Variable v : List.of(c.weightIh(), c.weightHh(), c.biasIh(), c.biasHh())) {
        m.put(v.name(), v);
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
