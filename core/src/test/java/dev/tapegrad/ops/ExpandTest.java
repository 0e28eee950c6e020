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

class ExpandTest {

  private static final double EXACT = 0;

  @Test
  void repeatsASizeOneDimensionAndSumsTheGradientBack() {
    // x (2, 1) = [[1], [2]] expanded to (2, 3): [[1, 1, 1], [2, 2, 2]]; dX = row sums of dOut
    Variable x = param("x", new float[] {1, 2}, 2, 1);
    Tape tape = new Tape();
    Variable out = Expand.apply(tape, x, -1, 3);
    AllClose.check("out", new float[] {1, 1, 1, 2, 2, 2}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4, 5, 6);
    AllClose.check("dX", new float[] {6, 15}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void addsNewLeadingDimensionsAndMayExpandToZero() {
    // [1, 2] to (2, 2): [[1, 2], [1, 2]]; dX = column sums
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable out = Expand.apply(tape, x, 2, 2);
    AllClose.check("out", new float[] {1, 2, 1, 2}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dX", new float[] {4, 6}, x.grad().data(), EXACT, EXACT);
    assertEquals(Shape.of(0, 2), Expand.apply(new Tape(), x, 0, 2).shape());
  }

  @Test
  void rejectsADimensionThatIsNeitherEqualNorOne() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Expand.apply(new Tape(), param("x", new float[2], 2), 3), "Expand", "[2]", "[3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Expand.apply(new Tape(), param("x", new float[2], 2), 2, -1, 2), "Expand", "[2]");
  }
}
