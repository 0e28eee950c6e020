package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * One recurrent layer's state between steps: the hidden state h and, for an LSTM, the cell state
 * c. This is the network's memory of what it has read so far.
 *
 * @param h the hidden state, N×H
 * @param c the LSTM's cell state, N×H; {@code null} for GRU and RNN
 */
public record State(Variable h, Variable c) {

  /**
   * Checks that h is given.
   *
   * @param h the hidden state, N×H
   * @param c the LSTM's cell state, N×H, or {@code null}
   */
  public State {
    Objects.requireNonNull(h, "h");
  }

  /**
   * Returns a zero state that needs no gradient: the start of a sequence. Its storage comes from
   * the tape ({@link Tape#zeros}), like the outputs of the ops that will read it.
   *
   * @param tape the tape the sequence runs on
   * @param kind the cell, which says whether there is a cell state c
   * @param batch N
   * @param hidden H
   * @return the state
   */
  public static State zeros(Tape tape, CellKind kind, int batch, int hidden) {
    return new State(Variable.constant(tape.zeros(batch, hidden)),
        kind.states() == 2 ? Variable.constant(tape.zeros(batch, hidden)) : null);
  }

  /**
   * Returns a copy of the values as constants: the state carried into the next chunk without a
   * path back into this chunk's graph, which is how truncated back-propagation through time cuts
   * the tape.
   *
   * @return the detached state
   */
  public State detach() {
    return new State(Variable.constant(h.value().copy()), c == null ? null : Variable.constant(c.value().copy()));
  }

  /**
   * Returns the first {@code n} batch rows: the rows that continue into a step with fewer rows.
   * When {@code n} is every row, this state itself; otherwise copies, as constants.
   *
   * @param n how many rows, at most the batch size
   * @return the rows
   */
  public State firstRows(int n) {
    return h.shape().dim(0) == n ? this : new State(firstRows(h, n), c == null ? null : firstRows(c, n));
  }

  private static Variable firstRows(Variable v, int n) {
    int width = v.shape().dim(1);
    return Variable.constant(Tensor.of(Arrays.copyOf(v.value().storage(), n * width), n, width));
  }
}
