package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class ReshapeTest {

  private static final double EXACT = 0;

  @Test
  void keepsTheRowMajorValuesUnderNewDimensions() {
    // [[1, 2, 3], [4, 5, 6]] read as 3×2 is [[1, 2], [3, 4], [5, 6]]
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Variable out = Reshape.apply(new Tape(), x, 3, 2);
    assertEquals(Shape.of(3, 2), out.shape());
    assertEquals(4f, out.value().get(1, 1));
    assertSame(x.value().data(), out.value().data());
  }

  @Test
  void backwardCopiesTheGradientElementForElement() {
    Variable x = param("x", new float[6], 2, 3);
    Tape tape = new Tape();
    backward(tape, Reshape.apply(tape, x, 6), 1, 2, 3, 4, 5, 6);
    assertEquals(Shape.of(2, 3), x.grad().shape());
    AllClose.check("dX", new float[] {1, 2, 3, 4, 5, 6}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = reshape(x) ⊙ reshape(x) = x², so dX = 2x = [2, 4, 6, 8] with dOut = 1
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    Variable flat = Reshape.apply(tape, x, 4);
    backward(tape, Mul.apply(tape, flat, Reshape.apply(tape, x, 4)), 1, 1, 1, 1);
    AllClose.check("dX", new float[] {2, 4, 6, 8}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void oneMinusOneIsInferredFromTheElementCount() {
    Variable x = param("x", new float[12], 2, 3, 2);
    assertEquals(Shape.of(6, 2), Reshape.apply(new Tape(), x, -1, 2).shape());
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Reshape.apply(new Tape(), x, -1, -1), "Reshape",
        "more than one -1");
  }

  @Test
  void rejectsADifferentElementCountNamingBothShapes() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Reshape.apply(new Tape(), param("x", new float[6], 2, 3), 4, 2), "Reshape", "[2, 3]", "[4, 2]");
  }
}
