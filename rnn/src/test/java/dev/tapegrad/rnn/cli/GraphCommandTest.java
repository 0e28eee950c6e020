package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
