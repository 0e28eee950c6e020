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

class NarrowTest {

  private static final double EXACT = 0;

  // x = [[1, 2, 3], [4, 5, 6]]
  private static Variable x() {
    return param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
  }

  @Test
  void takesConsecutiveColumnsAndPutsTheGradientBack() {
    // x[:, 1:3] = [[2, 3], [5, 6]]; dOut = [[1, 2], [3, 4]] lands in columns 1 and 2
    Variable x = x();
    Tape tape = new Tape();
    Variable out = Narrow.apply(tape, x, 1, 1, 2);
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("out", new float[] {2, 3, 5, 6}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dX", new float[] {0, 1, 2, 0, 3, 4}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void negativeDimensionAndStartCountFromTheEnd() {
    // narrow(x, -2, -1, 1) is the last row, [[4, 5, 6]]
    Variable out = Narrow.apply(new Tape(), x(), -2, -1, 1);
    assertEquals(Shape.of(1, 3), out.shape());
    AllClose.check("out", new float[] {4, 5, 6}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void aLengthOfZeroGivesAnEmptyBlock() {
    Variable out = Narrow.apply(new Tape(), x(), 1, 3, 0);
    assertEquals(Shape.of(2, 0), out.shape());
    assertEquals(0, out.value().size());
  }

  @Test
  void rejectsABlockThatDoesNotFitNamingTheShapeAndBounds() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Narrow.apply(new Tape(), x(), 1, 2, 2), "Narrow",
        "start 2", "length 2", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Narrow.apply(new Tape(), x(), 2, 0, 1), "Narrow",
        "dimension 2", "[2, 3]");
  }
}
