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

class PermuteTest {

  private static final double EXACT = 0;

  @Test
  void movesTheLastDimensionFirst() {
    // x (2, 1, 3) = [[[0, 1, 2]], [[3, 4, 5]]]; permute(2, 0, 1) is (3, 2, 1): out[k, i, 0] = x[i, 0, k]
    Variable x = param("x", new float[] {0, 1, 2, 3, 4, 5}, 2, 1, 3);
    Tape tape = new Tape();
    Variable out = Permute.apply(tape, x, 2, 0, -2);
    assertEquals(Shape.of(3, 2, 1), out.shape());
    AllClose.check("out", new float[] {0, 3, 1, 4, 2, 5}, out.value().data(), EXACT, EXACT);
    // the gradient goes back through the inverse permutation
    backward(tape, out, 10, 13, 11, 14, 12, 15);
    AllClose.check("dX", new float[] {10, 11, 12, 13, 14, 15}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsARepeatedOrMissingDimensionNamingTheShape() {
    Variable x = param("x", new float[6], 2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Permute.apply(new Tape(), x, 0, -2), "Permute",
        "repeat", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Permute.apply(new Tape(), x, 0), "Permute",
        "[2, 3]");
  }
}
