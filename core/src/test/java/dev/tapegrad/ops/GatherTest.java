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

class GatherTest {

  private static final double EXACT = 0;

  @Test
  void picksOneElementPerRowAndScattersTheGradientBack() {
    // x = [[1, 2, 3], [4, 5, 6]], index [[2], [0]] along 1: [[3], [4]]
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    Variable out = Gather.apply(tape, x, 1, IntTensor.of(new int[] {2, 0}, 2, 1));
    assertEquals(Shape.of(2, 1), out.shape());
    AllClose.check("out", new float[] {3, 4}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 10, 20);
    AllClose.check("dX", new float[] {0, 0, 10, 20, 0, 0}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void followsPyTorchsDocumentedExample() {
    // torch.gather(t, 1, [[0, 0], [1, 0]]) with t = [[1, 2], [3, 4]] is [[1, 1], [4, 3]];
    // element (0, 0) is picked twice, so it receives both gradients
    Variable t = param("t", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    Variable out = Gather.apply(tape, t, -1, IntTensor.of(new int[] {0, 0, 1, 0}, 2, 2));
    AllClose.check("out", new float[] {1, 1, 4, 3}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dT", new float[] {3, 0, 4, 3}, t.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsARankMismatchAnIndexLargerThanXAndOneOutOfRange() {
    Variable x = param("x", new float[6], 2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Gather.apply(new Tape(), x, 1, IntTensor.of(new int[] {0, 1})), "Gather", "[2]", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Gather.apply(new Tape(), x, 1, IntTensor.of(new int[3], 3, 1)), "Gather", "[3, 1]", "[2, 3]",
        "dimension 0");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Gather.apply(new Tape(), x, 1, IntTensor.of(new int[] {0, 3}, 2, 1)), "Gather", "index 3", "[2, 3]");
  }
}
