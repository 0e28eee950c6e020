package dev.tapegrad.rnn.cli;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.rnn.CharModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tape of one training step of a one-layer GRU char model, as a Graphviz graph drawn for a
 * learner: the parameters carry their {@code state_dict} names ({@code rnn.weight_hh_l0}), each time
 * step of the composed GRU is a box of its own ({@code t = 1}, {@code t = 2}, …) whose ops say which
 * gate they compute ({@code r}, {@code z}, {@code n}) and which state they make ({@code h1}), and
 * the zero initial state is {@code h0}. Every op keeps its number in the order the tape recorded it,
 * which backward replays from the last to {@code #0}.
 *
 * <p>The steps stand side by side, time from left to right, as a textbook draws an unrolled network:
 * each op on the row of its depth within its step, the same rows in every step, so each h goes from
 * the foot of one column to the head of the next. With the fused layer, the embedding, the one fused
 * op and the output have a box each. Titles, captions and nodes share one sans-serif font.
 *
 * <p>The ops of a step are named by their place among the step's ops of the same kind, in the order
 * {@code RecurrentCell} records a GRU step: two {@code Linear}s (the input and the hidden side),
 * three pairs of {@code SliceColumns} (each gate's block of both sides), and so on. An op beyond
 * that list keeps only its kind.
 */
final class StepGraph {

  /** What the ops of a composed GRU step compute, by kind, in the order a step records them. */
  private static final Map<String, List<String>> GRU_STEP = Map.of(
      "Linear", List.of("W_ih x + b_ih", "W_hh h + b_hh"),
      "SliceColumns", List.of("r block, input side", "r block, hidden side", "z block, input side",
          "z block, hidden side", "n block, input side", "n block, hidden side"),
      "Add", List.of("r, before σ", "z, before σ", "n, before tanh"),
      "Sigmoid", List.of("r = σ(…), reset gate", "z = σ(…), update gate"),
      "Tanh", List.of("n = tanh(…), candidate"),
      "Mul", List.of("r ⊙ (W_hn h + b_hn)", "z ⊙ (h − n)"),
      "Sub", List.of("h − n"));

  private StepGraph() {}

  /**
   * Returns the graph of what {@code tape} recorded, before backward.
   *
   * @param tape the tape of one forward pass and its loss
   * @param model the model, for its parameters' names
   * @param inputs the input ids of the one sequence
   * @param targets the target ids
   * @return the DOT text
   */
  static String dot(Tape tape, CharModel model, int[] inputs, int[] targets) {
    List<Tape.Entry> entries = tape.entries();
    Map<Variable, String> parameters = new IdentityHashMap<>();
    model.namedParameters().forEach((name, v) -> parameters.put(v, name));
    Map<Variable, String> nodes = new IdentityHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      nodes.put(entries.get(i).output(), "op" + i);
    }

    // A step of the composed layer starts where a SelectStep reads the embedded sequence.
    Variable embedded = entries.size() > 1 ? entries.get(1).output() : null;
    List<Integer> starts = new ArrayList<>();
    int end = entries.size();
    for (int i = 0; i < entries.size(); i++) {
      Tape.Entry e = entries.get(i);
      if (e.op().equals("SelectStep") && e.inputs().get(0) == embedded) {
        starts.add(i);
      }
      if (e.op().equals("StackSteps")) {
        end = i;
      }
    }

    StringBuilder out = new StringBuilder("digraph step {\n");
    out.append("  label=\"one training step: ").append(entries.size()).append(" ops, numbered in the order the tape "
        + "recorded them; backward replays them from the last to #0\";\n");
    // One sans-serif font and size for the nodes, the boxes' titles and the caption alike. newrank lets
    // the rows below line up ops across the steps' boxes.
    // mclimit: less crossing minimisation keeps the steps in their order, t = 1 on the left.
    out.append("  graph [fontname=\"Helvetica\", fontsize=10, newrank=true, mclimit=0.3];\n");
    out.append("  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    out.append("  compound=true;\n");
    // The leaves: parameters, the initial state, and the ids (which are no tensors on the tape).
    int leaves = 0;
    for (Tape.Entry e : entries) {
      for (Variable input : e.inputs()) {
        if (!nodes.containsKey(input)) {
          String id = "leaf" + leaves++;
          nodes.put(input, id);
          String name = parameters.containsKey(input) ? parameters.get(input)
              : input.requiresGrad() ? input.name() : "h0 = 0, initial state";
          out.append("  ").append(id).append(" [shape=box, ").append(parameters.containsKey(input)
              ? "style=filled, fillcolor=\"#fde6a4\"" : "style=dashed").append(", label=\"").append(escape(name))
              .append("\\n").append(input.shape()).append(input.requiresGrad() ? "\\nrequires grad" : "").append(
                  "\"];\n");
        }
      }
    }
    out.append("  ids [shape=note, label=\"input ids ").append(Arrays.toString(inputs)).append("\"];\n");
    out.append("  targets [shape=note, label=\"target ids ").append(Arrays.toString(targets)).append("\"];\n");

    if (starts.isEmpty()) {
      // The fused layer: no steps to show, the whole sequence in one op, the first to read an rnn parameter.
      int fused = firstReading(entries, parameters, "rnn.");
      int output = firstReading(entries, parameters, "decoder.");
      if (output > 0 && entries.get(output - 1).op().equals("Reshape")) {
        output--;
      }
      fused = Math.min(fused, output);
      cluster(out, "input", "embedding", entries, 0, fused, -1);
      cluster(out, "recurrent", "recurrent layer, fused: every step in one op", entries, fused, output, -1);
      cluster(out, "output", "output and loss", entries, output, entries.size(), -1);
    } else {
      cluster(out, "input", "embedding", entries, 0, starts.get(0), -1);
      for (int s = 0; s < starts.size(); s++) {
        int to = s + 1 < starts.size() ? starts.get(s + 1) : end;
        cluster(out, "t" + (s + 1), "t = " + (s + 1), entries, starts.get(s), to, s + 1);
      }
      cluster(out, "output", "output and loss", entries, end, entries.size(), -1);
      // The steps side by side, time from left to right, as the textbook draws an unrolled network:
      // each op on the row of its depth within its step (1 + the deepest of its inputs from the same
      // step; what comes from outside, x, h and the parameters, is at depth 0), the same rows in every
      // step, so each h goes from the foot of one column to the head of the next.
      Map<Integer, List<Integer>> rows = new TreeMap<>();
      for (int s = 0; s < starts.size() && starts.size() > 1; s++) {
        int from = starts.get(s);
        int to = s + 1 < starts.size() ? starts.get(s + 1) : end;
        int[] depth = new int[to - from];
        for (int i = from; i < to; i++) {
          for (Variable input : entries.get(i).inputs()) {
            int j = indexOf(entries, input, from, i);
            depth[i - from] = Math.max(depth[i - from], j < 0 ? 0 : depth[j - from] + 1);
          }
          rows.computeIfAbsent(depth[i - from], d -> new ArrayList<>()).add(i);
        }
      }
      for (List<Integer> row : rows.values()) {
        out.append("  { rank=same;");
        row.forEach(i -> out.append(" op").append(i).append(';'));
        out.append(" }\n");
      }
      // Time from left to right: an invisible edge within the first row from each step's input to the next's.
      for (int s = 0; s + 1 < starts.size(); s++) {
        out.append("  op").append(starts.get(s)).append(" -> op").append(starts.get(s + 1)).append(" [style=invis];\n");
      }
    }

    for (int i = 0; i < entries.size(); i++) {
      for (Variable input : entries.get(i).inputs()) {
        out.append("  ").append(nodes.get(input)).append(" -> op").append(i).append(";\n");
      }
    }
    if (!entries.isEmpty()) {
      out.append("  ids -> op0;\n  targets -> op").append(entries.size() - 1).append(";\n");
    }
    return out.append("}\n").toString();
  }

  /** The index in [from, to) of the op whose output is {@code v}, or −1. */
  private static int indexOf(List<Tape.Entry> entries, Variable v, int from, int to) {
    for (int j = from; j < to; j++) {
      if (entries.get(j).output() == v) {
        return j;
      }
    }
    return -1;
  }

  /** The index of the first op with an input among the parameters named {@code prefix}…, or the tape's length. */
  private static int firstReading(List<Tape.Entry> entries, Map<Variable, String> parameters, String prefix) {
    for (int i = 0; i < entries.size(); i++) {
      for (Variable input : entries.get(i).inputs()) {
        if (parameters.containsKey(input) && parameters.get(input).startsWith(prefix)) {
          return i;
        }
      }
    }
    return entries.size();
  }

  /** Writes the ops {@code from} (inclusive) to {@code to} in a box; {@code step} from 1 names a GRU step's ops. */
  private static void cluster(StringBuilder out, String id, String label, List<Tape.Entry> entries, int from,
      int to, int step) {
    if (from >= to) {
      return;
    }
    out.append("  subgraph cluster_").append(id).append(" {\n    label=\"").append(label)
        .append("\"; style=rounded; color=\"#9a9a9a\";\n");
    Map<String, Integer> seen = new HashMap<>();
    for (int i = from; i < to; i++) {
      Tape.Entry e = entries.get(i);
      int n = seen.merge(e.op(), 1, Integer::sum) - 1;
      String meaning = meaning(e.op(), n, step, i == to - 1);
      boolean gate = step >= 1 && (e.op().equals("Sigmoid") || e.op().equals("Tanh") || i == to - 1);
      out.append("    op").append(i).append(" [shape=ellipse, ").append(gate ? "style=filled, fillcolor=\"#d6e6f5\", "
          : "").append("label=\"#").append(i).append(' ').append(escape(e.op()))
          .append(meaning.isEmpty() ? "" : "\\n" + escape(meaning)).append("\\n").append(e.output().shape())
          .append("\"];\n");
    }
    out.append("  }\n");
  }

  /** What op {@code n}-th of its kind in a step computes; the step's last op is its new state. */
  private static String meaning(String op, int n, int step, boolean last) {
    if (step < 1) {
      return switch (op) {
        case "FusedGru", "FusedRecurrent" -> "the whole GRU layer, every step in one op";
        case "SelectStep" -> "the last step's h, the final state";
        case "SoftmaxCrossEntropy" -> "the loss";
        default -> "";
      };
    }
    if (op.equals("SelectStep")) {
      return "x" + step + ", the input at t = " + step;
    }
    if (last) {
      return "h" + step + " = n + z ⊙ (h" + (step - 1) + " − n)";
    }
    List<String> names = GRU_STEP.get(op);
    return names != null && n < names.size() ? names.get(n) : "";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
