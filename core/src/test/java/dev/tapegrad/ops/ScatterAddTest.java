package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class ScatterAddTest {

  private static final double EXACT = 0;

  @Test
  void addsSourceElementsWhereTheIndexPoints() {
    // x = zeros(3), index [0, 2, 0], src [1, 2, 3]: out = [1 + 3, 0, 2]
    Variable x = param("x", new float[] {0, 0, 0}, 3);
    Variable src = param("src", new float[] {1, 2, 3}, 3);
    Tape tape = new Tape();
    Variable out = ScatterAdd.apply(tape, x, 0, IntTensor.of(new int[] {0, 2, 0}), src);
    AllClose.check("out", new float[] {4, 0, 2}, out.value().data(), EXACT, EXACT);
    // dX = dOut; dSrc[j] = dOut[index[j]]
    backward(tape, out, 10, 20, 30);
    AllClose.check("dX", new float[] {10, 20, 30}, x.grad().data(), EXACT, EXACT);
    AllClose.check("dSrc", new float[] {10, 30, 10}, src.grad().data(), EXACT, EXACT);
  }

  @Test
  void sourceElementsOutsideTheIndexAreUnusedAndGetNoGradient() {
    // x (2, 2) = [[1, 1], [1, 1]], src (2, 2) = [[5, 6], [7, 8]], index (1, 2) = [[1, 0]] along 0:
    //   out[1, 0] += 5, out[0, 1] += 6: [[1, 7], [6, 1]]; src's second row is not used
    Variable x = param("x", new float[] {1, 1, 1, 1}, 2, 2);
    Variable src = param("src", new float[] {5, 6, 7, 8}, 2, 2);
    Tape tape = new Tape();
    Variable out = ScatterAdd.apply(tape, x, 0, IntTensor.of(new int[] {1, 0}, 1, 2), src);
    AllClose.check("out", new float[] {1, 7, 6, 1}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dSrc", new float[] {3, 2, 0, 0}, src.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsAnIndexLargerThanSrcNamingBothShapes() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> ScatterAdd.apply(new Tape(),
        param("x", new float[3], 3), 0, IntTensor.of(new int[] {0, 1}), param("src", new float[1], 1)),
        "ScatterAdd", "[2]", "src", "[1]");
  }
}
