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

class IndexSelectTest {

  private static final double EXACT = 0;

  @Test
  void picksColumnsAndARepeatedPositionReceivesBothGradients() {
    // x = [[1, 2, 3], [4, 5, 6]]; columns [2, 0, 2] are [[3, 1, 3], [6, 4, 6]]
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    Variable out = IndexSelect.apply(tape, x, 1, IntTensor.of(new int[] {2, 0, 2}));
    assertEquals(Shape.of(2, 3), out.shape());
    AllClose.check("out", new float[] {3, 1, 3, 6, 4, 6}, out.value().data(), EXACT, EXACT);
    // dOut = [[1, 2, 3], [4, 5, 6]]: column 2 gets 1 + 3 and 4 + 6, column 0 gets 2 and 5
    backward(tape, out, 1, 2, 3, 4, 5, 6);
    AllClose.check("dX", new float[] {2, 0, 4, 5, 0, 10}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void anEmptyIndexGivesAnEmptyDimension() {
    Variable out = IndexSelect.apply(new Tape(), param("x", new float[6], 2, 3), 0, IntTensor.of(new int[0]));
    assertEquals(Shape.of(0, 3), out.shape());
  }

  @Test
  void rejectsAnIndexOutOfRangeOrOfRankTwo() {
    Variable x = param("x", new float[6], 2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> IndexSelect.apply(new Tape(), x, 0, IntTensor.of(new int[] {0, 2})), "IndexSelect", "index 2",
        "position 1", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> IndexSelect.apply(new Tape(), x, 0, IntTensor.of(new int[] {0, 1}, 1, 2)), "IndexSelect", "[1, 2]");
  }
}
