package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code graph} through {@link Main#run}: the DOT of one training step of a tiny model, drawn for a learner. */
class GraphCommandTest {

  @TempDir Path dir;

  @Test
  void eachTimeStepIsABoxWithItsGatesNamed() {
    Result r = run("graph");
    assertEquals(0, r.status, r.err);
    String dot = r.out;
    assertTrue(dot.startsWith("digraph step {\n") && dot.endsWith("}\n"), dot);
    for (int t = 1; t <= 3; t++) {
      String step = cluster(dot, "t" + t);
      assertTrue(step.contains("label=\"t = " + t + "\""), step);
      assertTrue(step.contains("SelectStep\\nx" + t + ", the input at t = " + t), step);
      assertEquals(1, count(step, "Sigmoid\\nr = σ(…), reset gate"), step);
      assertEquals(1, count(step, "Sigmoid\\nz = σ(…), update gate"), step);
      assertEquals(1, count(step, "Tanh\\nn = tanh(…), candidate"), step);
      assertEquals(6, count(step, "SliceColumns\\n"), step);
      assertTrue(step.contains("\\nh" + t + " = n + z ⊙ (h" + (t - 1) + " − n)"), step);
    }
    assertEquals(3, count(dot, "subgraph cluster_t"), "three steps, no more");
    assertTrue(cluster(dot, "output").contains("SoftmaxCrossEntropy\\nthe loss"), dot);
  }

  @Test
  void parametersCarryTheirStateDictNamesAndFeedEveryStep() {
    String dot = run("graph").out;
    for (String name : List.of("encoder.weight\\n[4, 4]", "rnn.weight_ih_l0\\n[9, 4]", "rnn.weight_hh_l0\\n[9, 3]",
        "rnn.bias_ih_l0\\n[9]", "rnn.bias_hh_l0\\n[9]", "decoder.weight\\n[4, 3]", "decoder.bias\\n[4]")) {
      assertEquals(1, count(dot, "label=\"" + name + "\\nrequires grad\""), name + " in " + dot);
    }
    // The same recurrent weights feed every step: one box each, three edges out.
    String before = dot.substring(0,
        dot.indexOf(" [shape=box, style=filled, fillcolor=\"#fde6a4\", label=\"rnn.weight_hh_l0"));
    String id = before.substring(before.lastIndexOf('\n') + 1).trim();
    assertEquals(3, count(dot, "  " + id + " -> "), dot);
    // The initial state is h0, not "const"; the ids and targets are shown as notes.
    assertTrue(dot.contains("label=\"h0 = 0, initial state\\n[1, 3]\""), dot);
    assertFalse(dot.contains("const"), dot);
    assertTrue(dot.contains("label=\"input ids [0, 1, 2]\"") && dot.contains("label=\"target ids [1, 2, 3]\""), dot);
  }

  @Test
  void writesTheFileGivenWithOut() throws IOException {
    Path file = dir.resolve("step.dot");
    Result r = run("graph", "--out", file.toString(), "--seq", "2", "--hidden", "2");
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.startsWith("wrote " + file), r.out);
    String dot = Files.readString(file);
    assertEquals(2, count(dot, "subgraph cluster_t"), dot);
    assertTrue(dot.contains("label=\"rnn.weight_hh_l0\\n[6, 2]\\nrequires grad\""), dot);
  }

  @Test
  void fusedGruIsOneNode() {
    Result r = run("graph", "--fused");
    assertEquals(0, r.status, r.err);
    assertEquals(1, count(r.out, "FusedGru\\nthe whole GRU layer, every step in one op\\n[1, 3, 3]"), r.out);
    assertEquals(0, count(r.out, "Sigmoid"), r.out);
    assertEquals(0, count(r.out, "subgraph cluster_t"), r.out);
  }

  /** With --fused, the embedding's box holds the embedding only; the fused op and the output have boxes of their own. */
  @Test
  void fusedOpsAreInTheirOwnBoxesNotTheEmbeddings() {
    String dot = run("graph", "--fused").out;
    String embedding = cluster(dot, "input");
    assertTrue(embedding.contains("label=\"embedding\""), embedding);
    assertEquals(List.of("Embedding", "Reshape"), ops(embedding));
    assertEquals(List.of("FusedGru", "SelectStep"), ops(cluster(dot, "recurrent")));
    assertEquals(List.of("Reshape", "Linear", "SoftmaxCrossEntropy"), ops(cluster(dot, "output")));
  }

  /** Box titles and the caption use the nodes' sans-serif font and size, not Graphviz's default serif. */
  @Test
  void titlesUseTheNodesFont() {
    String dot = run("graph").out;
    assertTrue(dot.contains("  graph [fontname=\"Helvetica\", fontsize=10,"), dot);
    assertTrue(dot.contains("  node [fontname=\"Helvetica\", fontsize=10];"), dot);
  }

  /**
   * The steps side by side: every op of a step on the row of its depth within the step, the same rows
   * in every step (each step's input x_t and its W_hh h, on the first row; each h_t on the last).
   */
  @Test
  void theStepsStandSideBySideOnSharedRows() {
    String dot = run("graph", "--seq", "3").out;
    List<String> rows = dot.lines().filter(l -> l.startsWith("  { rank=same;")).toList();
    assertTrue(rows.stream().anyMatch(r -> r.equals("  { rank=same; op2; op4; op21; op23; op40; op42; }")),
        String.join("\n", rows));
    assertTrue(rows.stream().anyMatch(r -> r.contains(" op20;") && r.contains(" op39;") && r.contains(" op58;")),
        "h1, h2 and h3 on one row: " + rows);
  }

  /**
   * The picture as Graphviz lays it out (where dot is installed; .ci/run installs it): the three
   * steps' boxes side by side from left to right, t = 1 first, their tops level (no staircase), and a
   * PNG that renders.
   */
  @Test
  void dotLaysTheStepsOutFromLeftToRightOnOneLevel() throws Exception {
    Path dotExe = Path.of("/usr/bin/dot");
    assumeTrue(Files.isExecutable(dotExe), "needs Graphviz's dot (.ci/run installs it)");
    Path file = dir.resolve("step.dot");
    assertEquals(0, run("graph", "--out", file.toString()).status);
    Process plain = new ProcessBuilder(dotExe.toString(), "-Tplain", file.toString()).start();
    String layout = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, plain.waitFor());
    // "node NAME X Y ...": the inputs x1, x2, x3 (#2, #21, #40) and the states h1, h2, h3 (#20, #39, #58)
    double[] x = {position(layout, "op2")[0], position(layout, "op21")[0], position(layout, "op40")[0]};
    assertTrue(x[0] < x[1] && x[1] < x[2], "t = 1, 2, 3 from left to right: " + Arrays.toString(x));
    for (String[] row : new String[][] {{"op2", "op21", "op40"}, {"op20", "op39", "op58"}}) {
      double y = position(layout, row[0])[1];
      for (String op : row) {
        assertEquals(y, position(layout, op)[1], 1e-6, op + " level with " + row[0] + ":\n" + layout);
      }
    }
    Path png = dir.resolve("step.png");
    Process render = new ProcessBuilder(dotExe.toString(), "-Tpng", file.toString(), "-o", png.toString()).start();
    assertEquals(0, render.waitFor());
    byte[] image = Files.readAllBytes(png);
    assertTrue(image.length > 10_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG");
  }

  @Test
  void rejectsASequenceTooLongToDrawAsAUsageError() {
    Result r = run("graph", "--seq", "21");
    assertEquals(2, r.status);
    assertEquals("error: --seq must be from 1 to 20, got 21 (see 'java -jar rnn.jar graph --help')\n", r.err);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  private record Result(int status, String out, String err) {}

  /** The text of one {@code subgraph cluster_NAME { … }}. */
  private static String cluster(String dot, String name) {
    int start = dot.indexOf("subgraph cluster_" + name + " {");
    assertTrue(start >= 0, name + " in " + dot);
    return dot.substring(start, dot.indexOf("\n  }\n", start));
  }

  /** The op kinds in a box, in order. */
  private static List<String> ops(String cluster) {
    Matcher m = Pattern.compile("label=\"#\\d+ (\\w+)").matcher(cluster);
    List<String> kinds = new ArrayList<>();
    while (m.find()) {
      kinds.add(m.group(1));
    }
    return kinds;
  }

  /** A node's centre in dot's plain output. */
  private static double[] position(String layout, String node) {
    Matcher m = Pattern.compile("(?m)^node " + node + " ([\\d.]+) ([\\d.]+) ").matcher(layout);
    assertTrue(m.find(), node + " in\n" + layout);
    return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
