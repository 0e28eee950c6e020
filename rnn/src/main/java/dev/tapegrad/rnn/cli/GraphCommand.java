package dev.tapegrad.rnn.cli;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code graph}: the tape of one training step of a tiny char model, as a Graphviz graph.
 *
 * <p>The model is the notebook's (Embedding, GRU, Linear) at toy sizes, run with the composed
 * {@link Implementation#REFERENCE} GRU, so the graph shows every gate of every time step and
 * the same four GRU parameters feeding each step: back-propagation through time, unrolled. With
 * {@code --fused} the whole GRU is one {@code FusedGru} node instead. {@link StepGraph} draws it.
 */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Write the tape of one training step of a tiny char model as a Graphviz graph. It shows every "
        + "op in execution order with its output shape, each time step in a box of its own with its gates named, "
        + "and the parameters by their state_dict names.", ""},
    footer = {"", "Examples:",
        "  ${ROOT-COMMAND-NAME} graph --out step.dot",
        "  dot -Tsvg step.dot -o step.svg",
        "  ${ROOT-COMMAND-NAME} graph --seq 2 --hidden 2",
        "  ${ROOT-COMMAND-NAME} graph --fused",
        "",
        "The second renders the first with Graphviz; the third draws fewer steps, a smaller picture; the last the "
            + "GRU as one fused op."})
final class GraphCommand implements Callable<Integer> {

  /** The tiny model's vocabulary size. */
  static final int VOCAB = 4;
  /** The largest --seq accepted: beyond it the picture is too large to read. */
  static final int MAX_SEQ = 20;

  @Spec
  private CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the graph here (default: standard output).")
  private Path out;

  @Option(names = "--seq", paramLabel = "N", description = "Time steps to unroll, 1 to " + MAX_SEQ
      + " (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  private int seq;

  @Option(names = "--hidden", paramLabel = "H", description = "GRU width (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  private int hidden;

  @Option(names = "--fused", description = "Run the fused GRU (one node) instead of the composed one.")
  private boolean fused;

  @Override
  public Integer call() {
    if (seq < 1 || seq > MAX_SEQ) {
      throw new ParameterException(spec.commandLine(), "--seq must be from 1 to " + MAX_SEQ + ", got " + seq);
    }
    if (out != null && out.toString().isBlank()) {
      throw new ParameterException(spec.commandLine(), "--out is empty: name the file to write, or leave --out out "
          + "for standard output");
    }
    if (hidden < 1) {
      throw new ParameterException(spec.commandLine(), "--hidden must be at least 1, got " + hidden);
    }
    String dot = dot(seq, hidden, fused ? Implementation.FUSED : Implementation.REFERENCE);
    PrintWriter stdout = spec.commandLine().getOut();
    if (out == null) {
      stdout.print(dot);
    } else {
      RunFiles.writeAtomically(out, dot);
      String name = out.getFileName().toString();
      String svg = (name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + ".svg";
      stdout.println("wrote " + out + "; render it with: dot -Tsvg " + out + " -o " + out.resolveSibling(svg));
    }
    stdout.flush();
    return 0;
  }

  /**
   * Records one training step's forward pass and loss on a fresh tape and returns its graph: the
   * ids 0, 1, 2, … (mod {@value #VOCAB}) as input, each next id as target.
   *
   * @param seq time steps
   * @param hidden GRU width
   * @param implementation which GRU to record
   * @return the DOT text
   */
  static String dot(int seq, int hidden, Implementation implementation) {
    CharModel model = CharModel.create(VOCAB, hidden, 1, new SplittableRandom(1));
    int[] inputs = new int[seq];
    int[] targets = new int[seq];
    for (int t = 0; t < seq; t++) {
      inputs[t] = t % VOCAB;
      targets[t] = (t + 1) % VOCAB;
    }
    Tape tape = new Tape();
    CharModel.Forward f = model.forward(tape, inputs, 1, seq, null, implementation);
    Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
    String dot = StepGraph.dot(tape, model, inputs, targets);
    // The graph is what backward replays: run it, so the command is one real training step.
    tape.backward(loss);
    return dot;
  }
}
