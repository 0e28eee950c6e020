package dev.tapegrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link Tape#toDot()}: the recorded graph as Graphviz text. */
class TapeDotTest {

  @Test
  void drawsOpsInTapeOrderAndLeavesAsNamedBoxes() {
    Variable w = Variable.parameter("w", Tensor.of(new float[] {1, 2, 3}, 3));
    Variable x = Variable.constant(Tensor.of(new float[] {4, 5, 6}, 3));
    Tape tape = new Tape();
    Sum.apply(tape, Mul.apply(tape, w, x));

    assertEquals("""
        digraph tape {
          label="2 ops in execution order; backward replays them from the last to #0";
          node [fontname="Helvetica", fontsize=10];
          leaf0 [shape=box, style=filled, fillcolor="#fde6a4", label="w\\n[3]\\nrequires grad"];
          leaf1 [shape=box, style=dashed, label="const\\n[3]\\nno grad"];
          op0 [shape=ellipse, label="#0 Mul\\n[3]"];
          leaf0 -> op0;
          leaf1 -> op0;
          op1 [shape=ellipse, label="#1 Sum\\n[]"];
          op0 -> op1;
        }
        """, tape.toDot());
  }

  @Test
  void valueUsedTwiceIsOneNodeWithTwoOutgoingEdges() {
    Variable x = Variable.parameter("x", Tensor.of(new float[] {0.5f, -1f}, 2));
    Tape tape = new Tape();
    Variable t = Tanh.apply(tape, x);
    Sum.apply(tape, Mul.apply(tape, t, t));

    String dot = tape.toDot();
    assertEquals(1, count(dot, "leaf0 ["), dot);
    assertEquals(1, count(dot, "leaf0 -> op0;"), dot);
    assertEquals(2, count(dot, "op0 -> op1;"), dot);
    assertEquals(0, count(dot, "leaf1"), dot);
  }

  @Test
  void unrecordedInputsAreDashedLeaves() {
    Variable w = Variable.parameter("w", Tensor.of(new float[] {1, 2}, 2));
    Tape tape = new Tape();
    Variable frozen;
    try (Tape.NoGrad off = tape.noGrad()) {
      frozen = Tanh.apply(tape, w);
    }
    Sum.apply(tape, Mul.apply(tape, w, frozen));

    String dot = tape.toDot();
    assertTrue(dot.contains("leaf1 [shape=box, style=dashed, label=\"Tanh\\n[2]\\nno grad\"];"), dot);
    assertTrue(dot.contains("label=\"2 ops in execution order"), dot);
  }

  @Test
  void namesAreEscapedForDot() {
    Variable w = Variable.parameter("say \"hi\"\\", Tensor.of(new float[] {1}, 1));
    Tape tape = new Tape();
    Sum.apply(tape, w);

    assertTrue(tape.toDot().contains("label=\"say \\\"hi\\\"\\\\\\n[1]\\nrequires grad\""), tape.toDot());
  }

  @Test
  void emptyTapeIsAnEmptyGraph() {
    assertTrue(new Tape().toDot().startsWith("digraph tape {\n  label=\"0 ops in execution order"));
  }

  @Test
  void refusesAfterBackwardReleasedTheTape() {
    Variable w = Variable.parameter("w", Tensor.of(new float[] {1}, 1));
    Tape tape = new Tape();
    tape.backward(Sum.apply(tape, w));

    IllegalStateException e = assertThrows(IllegalStateException.class, tape::toDot);
    assertTrue(e.getMessage().contains("before backward"), e.getMessage());
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
