package dev.tapegrad.autograd;

import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The record of the ops run in a forward pass, replayed in reverse to compute gradients.
 *
 * <p>Every op takes a tape as its first argument. While the tape is recording and one of the op's
 * inputs needs a gradient, the op appends an {@link Entry}: its output and a {@link BackwardStep}
 * that holds exactly what the op saved for backward. Entries are appended in execution order,
 * which is already a topological order of the graph, so {@link #backward} simply walks the list
 * from the end: no recursion and no visited set.
 *
 * <p>A tape is used for one forward and one backward. After {@code backward} it releases what
 * the ops saved (unless asked to retain it), and a second {@code backward} is an error. Make a new
 * tape for each training step. A tape is not thread-safe; give each thread its own.
 *
 * <pre>{@code
 * Tape tape = new Tape();
 * Variable loss = SoftmaxCrossEntropy.apply(tape, Linear.apply(tape, x, w, b), targets);
 * tape.backward(loss);           // w.grad() and b.grad() now hold dLoss/dw and dLoss/db
 *
 * try (Tape.NoGrad off = tape.noGrad()) {
 *   Variable y = Linear.apply(tape, x, w, b);   // recorded nowhere: inference only
 * }
 * }</pre>
 */
public final class Tape {

  /**
   * One recorded op.
   *
   * @param op the op's name, such as {@code "MatMul"}
   * @param output the op's output
   * @param inputs the op's variable inputs (for inspection and graph export)
   * @param step the backward step
   */
  public record Entry(String op, Variable output, List<Variable> inputs, BackwardStep step) {
    /**
     * Copies the input list.
     *
     * @param op the op's name
     * @param output the op's output
     * @param inputs the op's variable inputs
     * @param step the backward step
     */
    public Entry {
      inputs = List.copyOf(inputs);
    }
  }

  private final List<Entry> entries = new ArrayList<>();
  private int pauseDepth;
  private boolean released;

  /** Creates an empty, recording tape. */
  public Tape() {}

  /**
   * Returns whether ops record themselves now: false inside a {@link #noGrad()} scope and after
   * the tape has been released.
   *
   * @return whether an op run now would be recorded
   */
  public boolean isRecording() {
    return pauseDepth == 0 && !released;
  }

  /**
   * Makes an op's output variable. It needs a gradient when this tape is recording and any input
   * needs one.
   *
   * @param op the op's name
   * @param value the computed output
   * @param inputs the op's variable inputs
   * @return the output variable
   */
  public Variable output(String op, Tensor value, Variable... inputs) {
    return Variable.result(op, value, isRecording() && anyRequiresGrad(inputs));
  }

  /**
   * Appends an op to the tape. Ops call this right after computing {@code output} when
   * {@code output.requiresGrad()}.
   *
   * @param op the op's name
   * @param output the output made by {@link #output}
   * @param step the backward step, holding what the op saved
   * @param inputs the op's variable inputs
   * @throws IllegalStateException if the tape was already released by backward
   */
  public void record(String op, Variable output, BackwardStep step, Variable... inputs) {
    if (released) {
      throw new IllegalStateException(
          "this tape was released by backward(); record the next forward pass on a new Tape");
    }
    if (!output.requiresGrad()) {
      throw new IllegalArgumentException(op + ": recording an output that needs no gradient");
    }
    entries.add(new Entry(op, output, List.of(inputs), step));
  }

  /** {@return the recorded entries in execution order (a read-only view)} */
  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  /**
   * Back-propagates from a scalar loss: seeds {@code dLoss/dLoss = 1} and accumulates every
   * gradient, then releases the tape.
   *
   * @param loss a one-element variable, usually a loss
   * @throws IllegalArgumentException if {@code loss} has more than one element
   * @throws IllegalStateException if backward already ran on this tape without retaining it
   */
  public void backward(Variable loss) {
    if (loss.value().size() != 1) {
      throw new IllegalArgumentException(
          "backward(loss) needs a one-element loss, got shape " + loss.shape()
              + "; pass an explicit seed gradient with backward(output, seed)");
    }
    backward(loss, Tensor.full(1f, loss.shape().dims()), false);
  }

  /**
   * Back-propagates from any output, seeding its gradient with {@code seed} (PyTorch's
   * {@code output.backward(gradient)}).
   *
   * @param output the variable to differentiate
   * @param seed the gradient of some scalar with respect to {@code output}, same shape
   * @param retain keep the recorded entries so that backward can run again; leaf gradients then
   *     accumulate over the passes, while the gradients of recorded outputs are reset to zero at
   *     the start of each pass (PyTorch's {@code retain_graph=True})
   * @throws IllegalStateException if backward already ran on this tape without retaining it
   */
  public void backward(Variable output, Tensor seed, boolean retain) {
    if (released) {
      throw new IllegalStateException(
          "backward() was already called on this tape and its saved values were released; "
              + "pass retain = true to the first call to back-propagate twice");
    }
    if (!output.shape().equals(seed.shape())) {
      throw new IllegalArgumentException(
          "seed gradient shape " + seed.shape() + " does not match output shape " + output.shape());
    }
    if (!output.requiresGrad()) {
      throw new IllegalStateException(
          "the output does not depend on any variable that needs a gradient (or was computed with no grad)");
    }
    // Each pass starts the recorded outputs from zero. Only leaves accumulate across passes:
    // an intermediate that kept its gradient from a retained earlier pass would be replayed with
    // the sum of both passes and count the first pass twice in every leaf below it.
    for (Entry entry : entries) {
      entry.output().zeroGrad();
    }
    // dOutput/dOutput: the seed (added, so a leaf used as the output accumulates like any leaf).
    float[] g = output.gradBuffer().data();
    float[] s = seed.data();
    for (int i = 0; i < g.length; i++) {
      g[i] += s[i];
    }
    // Execution order is topological, so reverse order visits every output before its inputs.
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry entry = entries.get(i);
      Tensor dOut = entry.output().grad();
      if (dOut != null) {
        entry.step().backward(dOut);
      }
    }
    if (!retain) {
      entries.clear();
      released = true;
    }
  }

  /**
   * Pauses recording until the returned scope is closed (PyTorch's {@code torch.no_grad()}).
   * Scopes nest.
   *
   * @return the scope; close it, best with try-with-resources
   */
  public NoGrad noGrad() {
    pauseDepth++;
    return new NoGrad(this);
  }

  /** A scope in which a tape records nothing; see {@link Tape#noGrad()}. */
  public static final class NoGrad implements AutoCloseable {
    private Tape tape;

    private NoGrad(Tape tape) {
      this.tape = tape;
    }

    /** Resumes recording (once; closing again does nothing). */
    @Override
    public void close() {
      if (tape != null) {
        tape.pauseDepth--;
        tape = null;
      }
    }
  }

  private static boolean anyRequiresGrad(Variable[] inputs) {
    for (Variable v : inputs) {
      if (v.requiresGrad()) {
        return true;
      }
    }
    return false;
  }
}
