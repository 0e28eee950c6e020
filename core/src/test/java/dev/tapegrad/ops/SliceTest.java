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

class SliceTest {

  private static final double EXACT = 0;

  @Test
  void takesEveryStepthPositionAndPutsTheGradientBack() {
    // x = [0, 1, 2, 3, 4, 5, 6]; x[1:6:2] = [1, 3, 5]
    Variable x = param("x", new float[] {0, 1, 2, 3, 4, 5, 6}, 7);
    Tape tape = new Tape();
    Variable out = Slice.apply(tape, x, 0, 1, 6, 2);
    AllClose.check("out", new float[] {1, 3, 5}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 10, 20, 30);
    AllClose.check("dX", new float[] {0, 10, 0, 20, 0, 30, 0}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void boundsFollowPythonsSlices() {
    // x[:, -2:] of [[1, 2, 3], [4, 5, 6]] is [[2, 3], [5, 6]]; x[:, 5:9] is empty; x[:, ::2] is columns 0 and 2
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    AllClose.check("x[:, -2:]", new float[] {2, 3, 5, 6},
        Slice.apply(new Tape(), x, 1, -2, Integer.MAX_VALUE, 1).value().data(), EXACT, EXACT);
    assertEquals(Shape.of(2, 0), Slice.apply(new Tape(), x, -1, 5, 9, 1).shape());
    AllClose.check("x[:, ::2]", new float[] {1, 3, 4, 6},
        Slice.apply(new Tape(), x, 1, 0, Integer.MAX_VALUE, 2).value().data(), EXACT, EXACT);
  }

  @Test
  void rejectsAStepBelowOne() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Slice.apply(new Tape(), param("x", new float[3], 3), 0, 0, 3, 0), "Slice", "step 0", "[3]");
  }
}
