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

class TransposeTest {

  @Test
  void swapsTheLastTwoDimensionsOfEveryMatrix() {
    // two 2×3 matrices
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
    Tape tape = new Tape();
    Variable t = Transpose.apply(tape, x);
    assertEquals(Shape.of(2, 3, 2), t.shape());
    AllClose.check("xᵀ", new float[] {1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12}, t.value().data(), 0, 0);
    // the gradient is transposed back
    backward(tape, t, 1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12);
    AllClose.check("dX", new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, x.grad().data(), 0, 0);
  }

  @Test
  void refusesAVector() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Transpose.apply(new Tape(), param("x", new float[3], 3)), "Transpose", "[3]");
  }

  @Test
  void swapsAnyTwoDimensions() {
    // x (2, 1, 3) = [[[0, 1, 2]], [[3, 4, 5]]]; transpose(0, 2) is (3, 1, 2): out[k, 0, i] = x[i, 0, k]
    Variable x = param("x", new float[] {0, 1, 2, 3, 4, 5}, 2, 1, 3);
    Tape tape = new Tape();
    Variable out = Transpose.apply(tape, x, 0, -1);
    assertEquals(Shape.of(3, 1, 2), out.shape());
    AllClose.check("out", new float[] {0, 3, 1, 4, 2, 5}, out.value().data(), 0, 0);
    backward(tape, out, 0, 3, 1, 4, 2, 5);
    AllClose.check("dX", new float[] {0, 1, 2, 3, 4, 5}, x.grad().data(), 0, 0);
  }

  @Test
  void rejectsADimensionOutOfRangeNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Transpose.apply(new Tape(), param("x", new float[6], 2, 3), 0, 2), "Transpose", "dimension 2", "[2, 3]");
  }
}
