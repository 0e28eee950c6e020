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

class SliceColumnsTest {

  private static final double EXACT = 0;

  // x = [[1, 2, 3, 4], [5, 6, 7, 8]]
  private static Variable x() {
    return param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
  }

  @Test
  void copiesTheRequestedColumns() {
    // x[:, 1:3] = [[2, 3], [6, 7]]
    Variable out = SliceColumns.apply(new Tape(), x(), 1, 3);
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("out", new float[] {2, 3, 6, 7}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardPadsTheGradientWithZeros() {
    // dOut = [[1, 2], [3, 4]] lands in columns 1 and 2: dX = [[0, 1, 2, 0], [0, 3, 4, 0]]
    Variable x = x();
    Tape tape = new Tape();
    backward(tape, SliceColumns.apply(tape, x, 1, 3), 1, 2, 3, 4);
    AllClose.check("dX", new float[] {0, 1, 2, 0, 0, 3, 4, 0}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // overlapping slices [0, 3) and [1, 4), each seeded with 1: columns 1 and 2 receive both
    Variable x = x();
    Tape tape = new Tape();
    Variable left = SliceColumns.apply(tape, x, 0, 3);
    Variable right = SliceColumns.apply(tape, x, 1, 4);
    tape.backward(Add.apply(tape, Sum.apply(tape, left), Sum.apply(tape, right)));
    AllClose.check("dX", new float[] {1, 2, 2, 1, 1, 2, 2, 1}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void theWholeRangeIsACopy() {
    Variable out = SliceColumns.apply(new Tape(), x(), 0, 4);
    AllClose.check("out", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void rejectsAnEmptyOrOutOfRangeColumnRangeNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> SliceColumns.apply(new Tape(), x(), 2, 2), "[2, 2)",
        "[2, 4]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> SliceColumns.apply(new Tape(), x(), 3, 5), "[3, 5)",
        "[2, 4]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> SliceColumns.apply(new Tape(), x(), -1, 2),
        "[-1, 2)", "[2, 4]");
  }

  @Test
  void rejectsAnInputThatIsNotTwoDimensional() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> SliceColumns.apply(new Tape(), param("x", new float[4], 4), 0, 1), "2-D", "[4]");
  }
}
