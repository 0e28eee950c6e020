package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Dropout;
import dev.tapegrad.ops.FusedRecurrent;
import dev.tapegrad.ops.SelectStep;
import dev.tapegrad.ops.StackSteps;
import dev.tapegrad.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A multi-layer recurrent layer over batch-first sequences, as PyTorch's
 * {@code torch.nn.GRU/LSTM/RNN(in, H, layers, batch_first=True)}: layer k reads layer k−1's
 * outputs, layer 0 reads the input, and the {@link CellKind} says which cell every layer runs.
 *
 * <p>One parameter set, in PyTorch's layout and names ({@code weight_ih_l{k}} G·H×in,
 * {@code weight_hh_l{k}} G·H×H, {@code bias_ih_l{k}}, {@code bias_hh_l{k}}), two implementations
 * behind {@link #forward}: {@link Implementation#REFERENCE} unrolls {@link RecurrentCell} steps
 * built from primitive ops; {@link Implementation#FUSED} runs {@link FusedRecurrent}, one tape
 * entry per layer with a hand-written backward. They compute the same function and the same
 * gradients (a property test holds them to it); the trainer uses FUSED, the docs read REFERENCE.
 *
 * <p>A layer keeps reusable buffers for its fused layers (see {@link FusedRecurrent.Workspace}),
 * so like the tape it is meant for one thread at a time. At batch 1 on the SIMD kernels, a fused
 * layer shares each step's matrix-vector products with one thread of the caller's
 * {@link java.util.concurrent.ForkJoinPool}, which spins for about 0.2 ms after each step waiting
 * for the next (see {@link dev.tapegrad.tensor.Backend}).
 *
 * <pre>{@code
 * Recurrent gru = Recurrent.create(CellKind.GRU, inputSize, 512, 1, new SplittableRandom(7));
 * Recurrent.Output out = gru.forward(tape, x, null, Implementation.FUSED);  // x: N×L×In
 * out.output();               // N×L×H, every step of the last layer (many-to-many)
 * out.states().get(0).h();    // N×H, layer 0's final state (many-to-one)
 * }</pre>
 */
public final class Recurrent extends AbstractModule {

  /**
   * What a forward pass returns.
   *
   * @param output the last layer's hidden state at every step, N×L×H
   * @param states each layer's final state, layer 0 first
   */
  public record Output(Variable output, List<State> states) {
    /**
     * Copies the list.
     *
     * @param output the last layer's hidden state at every step, N×L×H
     * @param states each layer's final state, layer 0 first
     */
    public Output {
      states = List.copyOf(states);
    }
  }

  private final CellKind kind;
  // not submodules: their parameters are this layer's own, registered under PyTorch's flat names
  private final transient List<RecurrentCell> cells;
  private final List<FusedRecurrent.Workspace> workspaces = new ArrayList<>();

  private Recurrent(CellKind kind, List<RecurrentCell> cells) {
    this.kind = kind;
    this.cells = List.copyOf(cells);
    for (int k = 0; k < cells.size(); k++) {
      // As in torch.nn.GRU, the cells have no names of their own: weight_ih_l0 … bias_hh_l0, then _l1 …
      for (Map.Entry<String, Variable> p : cells.get(k).localParameters().entrySet()) {
        register(p.getKey() + "_l" + k, p.getValue());
      }
      workspaces.add(new FusedRecurrent.Workspace());
    }
  }

  /**
   * Returns a layer with PyTorch's initialisation, uniform(−1/√H, 1/√H).
   *
   * @param kind the cell every layer runs
   * @param inputSize the input width
   * @param hidden the hidden width H
   * @param layers the number of stacked layers, at least 1
   * @param random the only source of randomness
   * @return the layer
   */
  public static Recurrent create(CellKind kind, int inputSize, int hidden, int layers, RandomGenerator random) {
    Objects.requireNonNull(kind, "kind");
    if (inputSize < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(kind + ": sizes must be at least 1, got input " + inputSize + ", hidden "
          + hidden + ", layers " + layers);
    }
    List<RecurrentCell> cells = new ArrayList<>();
    for (int k = 0; k < layers; k++) {
      cells.add(RecurrentCell.create(kind, k == 0 ? inputSize : hidden, hidden, random, k));
    }
    return new Recurrent(kind, cells);
  }

  /**
   * Runs every layer over the sequence, with no dropout between layers.
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param initial each layer's initial state, or {@code null} for zeros
   * @param implementation which implementation to run
   * @return the last layer's outputs and every layer's final state
   */
  public Output forward(Tape tape, Variable x, List<State> initial, Implementation implementation) {
    return forward(tape, x, initial, implementation, 0f, null);
  }

  /**
   * Runs every layer over the sequence, with dropout between layers as in
   * {@code torch.nn.GRU(..., dropout=p)}: layer k's output sequence (N×L×H) goes through
   * {@link Dropout} with probability {@code dropout} before layer k+1 reads it, for every layer
   * but the last. The last layer's output sequence is not dropped out, and neither is any final
   * state (layer k's final state is taken before the dropout, as PyTorch's {@code h_n}). With one
   * layer, dropout changes nothing.
   *
   * <p>Dropout is for training only: in evaluation mode ({@link #eval()}, which the layer's owner
   * passes down as PyTorch's {@code module.eval()} does) no element is dropped, whatever
   * {@code dropout} says; in training mode (the default) {@code dropout = 0}, or
   * {@link #forward(Tape, Variable, List, Implementation)}, drops none either. Both implementations apply the same {@link Dropout} op to the same
   * sequences, drawing the masks from {@code random} layer 0 first, so with generators in the same
   * state REFERENCE and FUSED compute the same function.
   *
   * <pre>{@code
   * Recurrent lstm = Recurrent.create(CellKind.LSTM, inputSize, 256, 2, new SplittableRandom(7));
   * RandomGenerator masks = new SplittableRandom(11);
   * Recurrent.Output out = lstm.forward(tape, x, null, Implementation.FUSED, 0.2f, masks);   // training
   * lstm.eval();
   * Recurrent.Output eval = lstm.forward(tape, x, null, Implementation.FUSED, 0.2f, masks);  // drops nothing
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, N×L×In
   * @param initial each layer's initial state, or {@code null} for zeros
   * @param implementation which implementation to run
   * @param dropout the probability of zeroing an element of each non-last layer's output in training
   *     mode, in [0, 1)
   * @param random the source of the dropout masks; may be {@code null} when {@code dropout == 0}
   * @return the last layer's outputs and every layer's final state
   * @throws IllegalArgumentException if x or an initial state has the wrong shape (or an LSTM
   *     state lacks c, or another cell's has one), or dropout is not in [0, 1)
   * @throws NullPointerException if {@code random} is null and {@code dropout > 0}
   */
  public Output forward(Tape tape, Variable x, List<State> initial, Implementation implementation, float dropout,
      RandomGenerator random) {
    Objects.requireNonNull(implementation, "implementation");
    if (!(dropout >= 0f && dropout < 1f)) {
      throw new IllegalArgumentException(kind + ": dropout must be in [0, 1), got dropout = " + dropout);
    }
    if (dropout > 0f) {
      Objects.requireNonNull(random, kind + ": random must not be null when dropout > 0");
    }
    if (x.shape().rank() != 3 || x.shape().dim(2) != inputSize()) {
      throw new IllegalArgumentException(kind + ": input shape " + x.shape() + " does not match input size "
          + inputSize() + " (need N×L×In)");
    }
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    if (initial != null && initial.size() != cells.size()) {
      throw new IllegalArgumentException(kind + ": " + initial.size() + " initial states for " + cells.size()
          + " layers");
    }
    float p = isTraining() ? dropout : 0f;
    Variable layerInput = x;
    List<State> finals = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      RecurrentCell cell = cells.get(k);
      State state = initial == null ? zeroState(tape, batch) : initial.get(k);
      checkState(k, state, batch);
      Variable layerOutput;
      if (implementation == Implementation.FUSED) {
        FusedRecurrent.Output out = FusedRecurrent.apply(tape, kind, layerInput, state.h(), state.c(),
            cell.weightIh(), cell.weightHh(), cell.biasIh(), cell.biasHh(), workspaces.get(k));
        layerOutput = out.output();
        state = new State(out.h(), out.c());
      } else {
        // Unrolling in time: the same cell (the same weights) is applied at every step.
        List<Variable> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
          state = cell.step(tape, SelectStep.apply(tape, layerInput, t), state);
          outputs.add(state.h());
        }
        layerOutput = StackSteps.apply(tape, outputs);
      }
      finals.add(state);
      // Between layers only: the next layer reads a dropped-out copy; the final state above does not.
      boolean last = k == cells.size() - 1;
      layerInput = last ? layerOutput : Dropout.apply(tape, layerOutput, p, random);
    }
    return new Output(layerInput, finals);
  }

  private void checkState(int layer, State state, int batch) {
    Shape need = Shape.of(batch, hidden());
    boolean lstm = kind.states() == 2;
    if (!state.h().shape().equals(need) || (lstm ? state.c() == null || !state.c().shape().equals(need)
        : state.c() != null)) {
      throw new IllegalArgumentException(kind + ": initial state of layer " + layer + " has h " + state.h().shape()
          + " and c " + (state.c() == null ? "none" : state.c().shape()) + ", need h " + need
          + (lstm ? " and c " + need : " and no c"));
    }
  }

  private State zeroState(Tape tape, int batch) {
    return State.zeros(tape, kind, batch, hidden());
  }

  /** {@return the cell every layer runs} */
  public CellKind kind() {
    return kind;
  }

  /** {@return the layers' cells, layer 0 first} */
  public List<RecurrentCell> cells() {
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
}
