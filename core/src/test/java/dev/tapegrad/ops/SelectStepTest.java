package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class SelectStepTest {

  private static final double EXACT = 0;

  // x (B 2, L 3, D 2) with x[b, t, d] = 6b + 2t + d, so the flat storage is 0, 1, …, 11
  private static Variable sequences() {
    float[] values = new float[12];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return param("x", values, 2, 3, 2);
  }

  @Test
  void copiesOneStepOfEverySequence() {
    // step 1: x[0, 1, :] = [2, 3], x[1, 1, :] = [8, 9]
    Variable out = SelectStep.apply(new Tape(), sequences(), 1);
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("out", new float[] {2, 3, 8, 9}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardFillsOnlyTheSelectedStep() {
    // dOut = [[1, 2], [3, 4]] lands at flat offsets (b·3 + 1)·2: 2..3 and 8..9
    Variable x = sequences();
    Tape tape = new Tape();
    backward(tape, SelectStep.apply(tape, x, 1), 1, 2, 3, 4);
    AllClose.check("dX", new float[] {0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0, 0}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void selectingEveryStepGivesEveryElementItsGradient() {
    Variable x = sequences();
    Tape tape = new Tape();
    Variable total = Sum.apply(tape, SelectStep.apply(tape, x, 0));
    for (int t = 1; t < 3; t++) {
      total = Add.apply(tape, total, Sum.apply(tape, SelectStep.apply(tape, x, t)));
    }
    // 0 + 1 + … + 11 = 66
    assertEquals(66f, total.value().item());
    tape.backward(total);
    AllClose.check("dX", new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void rejectsAStepOutOfRangeNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> SelectStep.apply(new Tape(), sequences(), 3),
        "step 3", "[2, 3, 2]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> SelectStep.apply(new Tape(), sequences(), -1),
        "step -1", "[2, 3, 2]");
  }

  @Test
  void rejectsAnInputThatIsNotThreeDimensional() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> SelectStep.apply(new Tape(), param("x", new float[4], 2, 2), 0), "3-D", "[2, 2]");
  }
}
