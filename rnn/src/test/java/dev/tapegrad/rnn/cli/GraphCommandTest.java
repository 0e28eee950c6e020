package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnn graph} through {@link Main#run}: the DOT of one training step of a tiny model. */
class GraphCommandTest {

  @TempDir Path dir;

  @Test
  void writesTheUnrolledComposedGruToStandardOutput() {
    Result r = run("graph");
    assertEquals(0, r.status, r.err);
    String dot = r.out;
    assertTrue(dot.startsWith("digraph tape {\n") && dot.endsWith("}\n"), dot);
    // Seq 3: three steps read from the embedded sequence, each a GRU cell of primitive ops.
    assertEquals(3, count(dot, "SelectStep\\n[1, 4]"), dot);
    assertEquals(6, count(dot, "Sigmoid\\n[1, 3]"), "r and z at each of 3 steps: " + dot);
    assertEquals(3, count(dot, "Tanh\\n[1, 3]"), "n at each of 3 steps: " + dot);
    // The same GRU parameters feed every step: one box each, three edges out (one per step).
    assertEquals(1, count(dot, "label=\"weight_hh_l0\\n[9, 3]\\nrequires grad\""), dot);
    String hh = dot.substring(0, dot.indexOf(" [shape=box, style=filled, fillcolor=\"#fde6a4\", label=\"weight_hh_l0"));
    String hhId = hh.substring(hh.lastIndexOf('\n') + 1).trim();
    assertEquals(3, count(dot, "  " + hhId + " -> "), dot);
    // The inputs need no gradient, and the loss is the last op.
    assertTrue(dot.contains("SoftmaxCrossEntropy\\n[]\"];\n"), dot);
    assertTrue(dot.contains("style=dashed"), dot);
  }

  @Test
  void writesTheFileGivenWithOut() throws IOException {
    Path file = dir.resolve("step.dot");
    Result r = run("graph", "--out", file.toString(), "--seq", "2", "--hidden", "2");
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.startsWith("wrote " + file), r.out);
    String dot = Files.readString(file);
    assertEquals(2, count(dot, "SelectStep\\n[1, 4]"), dot);
    assertTrue(dot.contains("label=\"weight_hh_l0\\n[6, 2]\\nrequires grad\""), dot);
  }

  @Test
  void fusedGruIsOneNode() {
    Result r = run("graph", "--fused");
    assertEquals(0, r.status, r.err);
    assertEquals(1, count(r.out, "FusedGru\\n[1, 3, 3]"), r.out);
    assertEquals(0, count(r.out, "Sigmoid"), r.out);
  }

  @Test
  void rejectsASequenceTooLongToDraw() {
    Result r = run("graph", "--seq", "21");
    assertEquals(1, r.status);
    assertEquals("error: --seq must be from 1 to 20, got 21\n", r.err);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  private record Result(int status, String out, String err) {}

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
