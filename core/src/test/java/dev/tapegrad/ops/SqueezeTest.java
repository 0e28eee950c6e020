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

class SqueezeTest {

  @Test
  void removesEverySizeOneDimensionOrOneNamed() {
    Variable x = param("x", new float[3], 1, 3, 1);
    assertEquals(Shape.of(3), Squeeze.apply(new Tape(), x).shape());
    assertEquals(Shape.of(1, 3), Squeeze.apply(new Tape(), x, -1).shape());
    // a dimension that is not 1 stays, as in PyTorch
    assertEquals(Shape.of(1, 3, 1), Squeeze.apply(new Tape(), x, 1).shape());
    assertEquals(Shape.of(), Squeeze.apply(new Tape(), param("one", new float[1], 1, 1)).shape());
  }

  @Test
  void theGradientIsTheIdentity() {
    Variable x = param("x", new float[] {1, 2}, 1, 2);
    Tape tape = new Tape();
    backward(tape, Squeeze.apply(tape, x), 3, 4);
    AllClose.check("dX", new float[] {3, 4}, x.grad().data(), 0, 0);
  }

  @Test
  void rejectsADimensionOutOfRange() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Squeeze.apply(new Tape(), param("x", new float[3], 1, 3), 2), "Squeeze", "dimension 2", "[1, 3]");
  }
}
