package dev.tapegrad.autograd;

import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import dev.tapegrad.tensor.TensorArena;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * tape for each training step; made with a {@link TensorArena} ({@code new Tape(arena)}), each
 * step's tape reuses the storage of the step before, so steady-state training allocates no
 * tensors. A tape is not thread-safe; give each thread its own.
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
 *
 * <p>Before backward, {@link #toDot()} draws what was recorded as a Graphviz graph.
 *
 * <p><b>Safety.</b> Two mistakes would otherwise give silently wrong gradients, and both are
 * errors. A result belongs to the tape that recorded it: an op that records on another tape refuses
 * it as an input ({@link IllegalArgumentException} naming the op, the input and both tapes), since
 * backward on this tape could not reach the graph behind it; {@link Variable#detach()} is the
 * explicit cut. And a recorded op's values must not change before backward: the tape notes the
 * {@link Tensor#version() version} of every input and output of each op, and backward refuses
 * ({@link IllegalStateException}) when one has changed since, as PyTorch refuses "a variable needed
 * for gradient computation has been modified by an inplace operation".
 *
 * <p>Note: the tape checks every input and output of a recorded op, not only those the op saved
 * for backward (it does not know which it saved), so it also refuses some changes that PyTorch
 * allows, such as changing an operand of an {@code Add} before backward.
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
  /** For each entry, its inputs' and then its output's {@link Tensor#version()} when it was recorded. */
  private final List<long[]> versions = new ArrayList<>();
  private final List<Runnable> onRelease = new ArrayList<>();
  private final TensorArena arena;
  private int pauseDepth;
  private boolean released;

  /** Creates an empty, recording tape whose ops allocate their outputs as new tensors. */
  public Tape() {
    this.arena = null;
  }

  /**
   * Creates an empty, recording tape whose ops' outputs and their gradients borrow storage from
   * {@code arena}, after taking back everything the arena lent before ({@link TensorArena#reset()}):
   * the values of the previous tape on this arena become unusable, and this step reuses their
   * storage instead of allocating.
   *
   * @param arena the arena of a training loop, one tape after another
   */
  public Tape(TensorArena arena) {
    this.arena = Objects.requireNonNull(arena, "arena");
    arena.reset();
  }

  /**
   * Returns a tensor of zeros for an op's output or a result's gradient: from this tape's arena if
   * it has one, else a new tensor. Ops make their outputs with it.
   *
   * @param shape the shape
   * @return a zero-filled tensor
   */
  public Tensor zeros(Shape shape) {
    return arena != null ? arena.zeros(shape) : Tensor.zeros(shape);
  }

  /**
   * Returns a tensor of zeros, as {@link #zeros(Shape)}.
   *
   * @param dims the shape
   * @return a zero-filled tensor
   */
  public Tensor zeros(int... dims) {
    return zeros(Shape.of(dims));
  }

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
   * needs one; it then belongs to this tape.
   *
   * @param op the op's name
   * @param value the computed output
   * @param inputs the op's variable inputs
   * @return the output variable
   * @throws IllegalArgumentException if an input that needs a gradient was recorded on another
   *     tape (use {@link Variable#detach()} to take its value as a constant)
   * @throws IllegalStateException if an input needs a gradient but backward already released this
   *     tape (record on a new tape, or inside {@link #noGrad()})
   */
  public Variable output(String op, Tensor value, Variable... inputs) {
    if (pauseDepth > 0 || !anyRequiresGrad(inputs)) {
      return Variable.result(op, value, null);
    }
    if (released) {
      throw new IllegalStateException(op + ": " + this + " was released by backward; record the next forward pass "
          + "on a new Tape, or run it inside tape.noGrad()");
    }
    for (Variable input : inputs) {
      if (input.tape() != null && input.tape() != this) {
        throw new IllegalArgumentException(op + ": input '" + input.name() + "' " + input.shape() + " was recorded on "
            + input.tape() + ", not on " + this + " where " + op + " records, so backward here could not reach the "
            + "graph behind it; use input.detach() to take its value as a constant");
      }
    }
    return Variable.result(op, value, this);
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
   * @throws IllegalArgumentException if {@code output} was not made by this tape's {@link #output}
   *     (or needs no gradient)
   */
  public void record(String op, Variable output, BackwardStep step, Variable... inputs) {
    if (released) {
      throw new IllegalStateException(
          "this tape was released by backward; record the next forward pass on a new Tape");
    }
    if (output.tape() != this) {
      throw new IllegalArgumentException(op + ": recording an output that needs no gradient or that another tape made");
    }
    // the values backward will read, by version: any later in-place change shows as a new version
    long[] seen = new long[inputs.length + 1];
    for (int i = 0; i < inputs.length; i++) {
      seen[i] = inputs[i].value().version();
    }
    seen[inputs.length] = output.value().version();
    entries.add(new Entry(op, output, List.of(inputs), step));
    versions.add(seen);
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
              + "; pass a seed gradient of that shape with backward(output, seed, false) (Expr: backward(seed))");
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
   * @throws IllegalStateException if backward already ran on this tape without retaining it, or if
   *     a value a recorded op read or wrote was changed in place since (nothing is accumulated then)
   * @throws IllegalArgumentException if {@code output} was recorded on another tape
   */
  public void backward(Variable output, Tensor seed, boolean retain) {
    if (released) {
      throw new IllegalStateException(
          "backward was already called on this tape and its saved values were released; "
              + "pass retain = true to the first call, backward(output, seed, true), to back-propagate twice");
    }
    if (output.tape() != null && output.tape() != this) {
      throw new IllegalArgumentException("backward: the output '" + output.name() + "' " + output.shape()
          + " was recorded on " + output.tape() + ", not on " + this);
    }
    if (!output.shape().equals(seed.shape())) {
      throw new IllegalArgumentException(
          "seed gradient shape " + seed.shape() + " does not match output shape " + output.shape());
    }
    if (!output.requiresGrad()) {
      throw new IllegalStateException(
          "the output does not depend on any variable that needs a gradient (or was computed with no grad)");
    }
    // Every value a recorded op read or wrote must be as it was then, or its backward would mix
    // old and new values (PyTorch's version check); check them all before accumulating anything.
    for (int i = 0; i < entries.size(); i++) {
      checkUnchanged(entries.get(i), versions.get(i));
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
      versions.clear();
      released = true;
      for (Runnable action : onRelease) {
        action.run();
      }
      onRelease.clear();
    }
  }

  /**
   * Registers an action to run when backward releases this tape's saved values (after a backward
   * without retain). Ops that lend reusable buffers to their saved state use it to take them back.
   *
   * @param action what to run, once
   */
  public void onRelease(Runnable action) {
    if (released) {
      action.run();
    } else {
      onRelease.add(action);
    }
  }

  /**
   * Returns the recorded graph in Graphviz's DOT language, to see what backward will replay.
   *
   * <p>Each recorded op is an ellipse labelled with its position on the tape ({@code #0} ran
   * first; backward visits them from the last to {@code #0}), its name and its output's shape.
   * Each leaf, a variable that no recorded op produced, is a box labelled with its name and shape:
   * filled when it needs a gradient (a parameter), dashed when it does not (an input, a constant,
   * or a value computed with no grad). Edges run from each input to the op that read it, so a
   * value used twice has two outgoing edges, and its gradient is the sum of what flows back along
   * both. The text depends only on what was recorded, so the same program gives the same graph.
   *
   * <pre>{@code
   * Tape tape = new Tape();
   * Variable loss = Sum.apply(tape, Mul.apply(tape, w, x));
   * Files.writeString(Path.of("step.dot"), tape.toDot());   // then: dot -Tsvg step.dot -o step.svg
   * tape.backward(loss);
   * }</pre>
   *
   * @return the graph, a {@code digraph} in DOT syntax ending with a newline
   * @throws IllegalStateException if backward already released the tape (export before backward,
   *     or back-propagate with {@code retain = true})
   */
  public String toDot() {
    if (released) {
      throw new IllegalStateException(
          "backward released this tape; call toDot() before backward, or back-propagate with backward(output, seed, true)");
    }
    Map<Variable, String> nodes = new IdentityHashMap<>();
    int leaves = 0;
    StringBuilder out = new StringBuilder();
    out.append("digraph tape {\n");
    out.append("  label=\"").append(entries.size()).append(entries.size() == 1 ? " op" : " ops")
        .append(" in execution order; backward replays them from the last to #0\";\n");
    out.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      // Leaves first appear as inputs: give each one box the first time it is read.
      for (Variable input : entry.inputs()) {
        if (!nodes.containsKey(input)) {
          String id = "leaf" + leaves++;
          nodes.put(input, id);
          out.append("  ").append(id).append(" [shape=box, ")
              .append(input.requiresGrad() ? "style=filled, fillcolor=\"#fde6a4\"" : "style=dashed")
              .append(", label=\"").append(escape(input.name())).append("\\n").append(input.shape())
              .append(input.requiresGrad() ? "\\nrequires grad" : "\\nno grad").append("\"];\n");
        }
      }
      String id = "op" + i;
      out.append("  ").append(id).append(" [shape=ellipse, label=\"#").append(i).append(' ')
          .append(escape(entry.op())).append("\\n").append(entry.output().shape()).append("\"];\n");
      for (Variable input : entry.inputs()) {
        out.append("  ").append(nodes.get(input)).append(" -> ").append(id).append(";\n");
      }
      nodes.put(entry.output(), id);
    }
    return out.append("}\n").toString();
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

  /** Throws if an input or the output of {@code entry} has another version than when it was recorded. */
  private static void checkUnchanged(Entry entry, long[] seen) {
    for (int i = 0; i < seen.length; i++) {
      Variable v = i < entry.inputs().size() ? entry.inputs().get(i) : entry.output();
      long now = v.value().version();
      if (now != seen[i]) {
        String which = (i < entry.inputs().size() ? "input " + i : "output") + " '" + v.name() + "' " + v.shape();
        throw new IllegalStateException(entry.op() + ": its " + which + " was modified in place after the op ran "
            + "(version " + seen[i] + ", now " + now + "), so its gradient would use the new values; change values "
            + "only after backward (as optimizers do), or record the forward pass again");
      }
    }
  }

  /**
   * Returns an identity for messages: {@code Tape@} and a hash, and {@code (released)} once backward
   * released it.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Tape@" + Integer.toHexString(System.identityHashCode(this)) + (released ? " (released)" : "");
  }

  /** Escapes text for a double-quoted DOT string. */
  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
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
